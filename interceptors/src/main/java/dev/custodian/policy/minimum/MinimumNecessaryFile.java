package dev.custodian.policy.minimum;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import dev.custodian.policy.caller.PurposeOfUse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Reads the minimum-necessary configuration, a properties-style text file:
 *
 * <pre>
 * # comment
 * HPAYMT.ImagingStudy = identifier, status, subject, started, modality, procedureCode, \
 *                       numberOfSeries, numberOfInstances
 * HLEGAL.DiagnosticReport = *
 * </pre>
 *
 * <ul>
 *   <li>The key is {@code <purpose code>.<R4 resource type>}; the purpose is one of
 *       {@link MinimumNecessary#PURPOSES} (treatment, the patient's own access and authorized
 *       disclosures are exempt from the standard, so sets for them would mean nothing).</li>
 *   <li>The value is a comma-separated list of top-level element names of that type (a choice
 *       element may be written {@code effective[x]} or {@code effective}), or {@code *} for the whole
 *       resource. {@code id}, {@code meta}, {@code implicitRules} and {@code language} are always
 *       kept.</li>
 *   <li>A line ending in {@code \} continues on the next.</li>
 *   <li>A business associate's agreement (45 CFR 164.504(e)) names its own operations set:
 *       {@code HOPERAT[<organization id>].<ResourceType> = ...}, keyed by the id of the associate's
 *       Organization. Never {@code *}: an associate always gets a projection (and so never
 *       images).</li>
 * </ul>
 *
 * Everything is checked when the file is read, so that a typo fails the start instead of silently
 * widening or narrowing a disclosure: unknown purposes, types and elements, duplicate keys or
 * elements, the narrative ({@code text}) and {@code contained} (never kept), and for payment a
 * {@code *} or any element a health plan must never see ({@link #PAYMENT_NEVER}).
 */
final class MinimumNecessaryFile {

  /**
   * What payment may never include, whatever the file says: the report's findings and text, and
   * image-level detail. Health plans get codes, dates, status and performer only.
   */
  static final Map<String, Set<String>> PAYMENT_NEVER = Map.of(
      "DiagnosticReport", Set.of("conclusion", "conclusionCode", "presentedForm", "result", "media"),
      "ImagingStudy", Set.of("series"));

  private static final Set<String> NEVER_KEPT = Set.of("text", "contained");

  private final String source;
  /** Business associate agreements' sets: organization id, then resource type. */
  private final Map<String, Map<String, ElementSet>> agreements = new HashMap<>();
  private final FhirContext context = FhirContext.forR4Cached();

  MinimumNecessaryFile(String source) {
    this.source = source;
  }

  Map<PurposeOfUse, Map<String, ElementSet>> parse(Reader reader) throws IOException {
    Map<PurposeOfUse, Map<String, ElementSet>> sets = new EnumMap<>(PurposeOfUse.class);
    BufferedReader lines = new BufferedReader(reader);
    StringBuilder logical = new StringBuilder();
    int lineNumber = 0;
    int startLine = 0;
    String line;
    while ((line = lines.readLine()) != null) {
      lineNumber++;
      String trimmed = line.strip();
      if (logical.length() == 0) {
        if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("!")) {
          continue;
        }
        startLine = lineNumber;
      }
      if (trimmed.endsWith("\\")) {
        logical.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      logical.append(trimmed);
      entry(logical.toString(), startLine, sets);
      logical.setLength(0);
    }
    if (logical.length() > 0) {
      throw fault(startLine, "the last line ends with a continuation '\\'");
    }
    return sets;
  }

  /** The agreements' sets read by {@link #parse}: organization id, then resource type. */
  Map<String, Map<String, ElementSet>> agreements() {
    return agreements;
  }

  private void entry(String text, int line, Map<PurposeOfUse, Map<String, ElementSet>> sets) {
    int equals = text.indexOf('=');
    if (equals < 0) {
      throw fault(line, "expected <PURPOSE>.<ResourceType> = elements");
    }
    String key = text.substring(0, equals).strip();
    String value = text.substring(equals + 1).strip();
    java.util.regex.Matcher agreement =
        java.util.regex.Pattern.compile("HOPERAT\\[([A-Za-z0-9\\-.]{1,64})\\]\\.(\\w+)").matcher(key);
    if (agreement.matches()) {
      agreementEntry(agreement.group(1), agreement.group(2), value, line);
      return;
    }
    int dot = key.indexOf('.');
    if (dot < 0) {
      throw fault(line, "key " + key + " is not <PURPOSE>.<ResourceType>");
    }
    String purposeCode = key.substring(0, dot);
    String type = key.substring(dot + 1);
    PurposeOfUse purpose = PurposeOfUse.fromCode(purposeCode)
        .orElseThrow(() -> fault(line, "unknown purpose of use " + purposeCode));
    if (!MinimumNecessary.PURPOSES.contains(purpose)) {
      throw fault(line, "purpose " + purpose + " is not governed by minimum necessary here; only "
          + MinimumNecessary.PURPOSES + " have element sets");
    }
    if (!context.getResourceTypes().contains(type)) {
      throw fault(line, "unknown R4 resource type " + type);
    }
    Map<String, ElementSet> byType = sets.computeIfAbsent(purpose, p -> new HashMap<>());
    if (byType.containsKey(type)) {
      throw fault(line, "duplicate key " + key);
    }
    byType.put(type, elementSet(purpose, type, value, line));
  }

  private void agreementEntry(String organization, String type, String value, int line) {
    if (!context.getResourceTypes().contains(type)) {
      throw fault(line, "unknown R4 resource type " + type);
    }
    if (value.equals("*")) {
      throw fault(line, "a business associate agreement never covers a whole " + type);
    }
    Map<String, ElementSet> byType = agreements.computeIfAbsent(organization, o -> new HashMap<>());
    if (byType.containsKey(type)) {
      throw fault(line, "duplicate key HOPERAT[" + organization + "]." + type);
    }
    byType.put(type, elementSet(PurposeOfUse.HOPERAT, type, value, line));
  }

  private ElementSet elementSet(PurposeOfUse purpose, String type, String value, int line) {
    if (value.equals("*")) {
      if (purpose == PurposeOfUse.HPAYMT) {
        throw fault(line, "payment may never see a whole " + type);
      }
      return ElementSet.whole(type);
    }
    RuntimeResourceDefinition definition = context.getResourceDefinition(type);
    Set<String> known = new LinkedHashSet<>();
    for (BaseRuntimeChildDefinition child : definition.getChildren()) {
      known.add(child.getElementName());
    }
    Set<String> elements = new LinkedHashSet<>();
    for (String raw : value.split(",")) {
      String name = raw.strip();
      if (name.endsWith("[x]")) {
        name = name.substring(0, name.length() - 3);
      }
      if (name.isEmpty()) {
        throw fault(line, "empty element name");
      }
      if (NEVER_KEPT.contains(name)) {
        throw fault(line, "'" + name + "' is never kept in a projection");
      }
      if (!known.contains(name)) {
        throw fault(line, type + " has no element " + name);
      }
      if (purpose == PurposeOfUse.HPAYMT && PAYMENT_NEVER.getOrDefault(type, Set.of()).contains(name)) {
        throw fault(line, "payment may never see " + type + "." + name);
      }
      if (!elements.add(name)) {
        throw fault(line, "duplicate element " + name);
      }
    }
    return ElementSet.of(type, elements);
  }

  private IllegalArgumentException fault(int line, String message) {
    return new IllegalArgumentException(source + ":" + line + ": " + message);
  }
}
