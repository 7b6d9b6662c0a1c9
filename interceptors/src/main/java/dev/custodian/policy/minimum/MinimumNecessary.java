package dev.custodian.policy.minimum;

import dev.custodian.policy.caller.PurposeOfUse;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The minimum-necessary element sets per purpose of use and resource type, loaded from one readable
 * configuration file (see {@link MinimumNecessaryFile} for the format and the checks). A resource
 * type without a set for a purpose is denied for that purpose.
 *
 * <p>The default file ships in this module as {@value #DEFAULT_RESOURCE}; a deployment may load its
 * own with {@link #load(Path)}.
 */
public final class MinimumNecessary {

  /** The classpath location of the default configuration. */
  public static final String DEFAULT_RESOURCE = "custodian/minimum-necessary.properties";

  /** The purposes whose disclosures the minimum-necessary standard governs here. */
  public static final Set<PurposeOfUse> PURPOSES =
      Set.of(PurposeOfUse.HPAYMT, PurposeOfUse.HOPERAT, PurposeOfUse.PUBHLTH, PurposeOfUse.HLEGAL);

  private final Map<PurposeOfUse, Map<String, ElementSet>> sets;
  private final Map<String, Map<String, ElementSet>> agreements;

  MinimumNecessary(Map<PurposeOfUse, Map<String, ElementSet>> sets) {
    this(sets, Map.of());
  }

  MinimumNecessary(Map<PurposeOfUse, Map<String, ElementSet>> sets, Map<String, Map<String, ElementSet>> agreements) {
    EnumMap<PurposeOfUse, Map<String, ElementSet>> copy = new EnumMap<>(PurposeOfUse.class);
    sets.forEach((purpose, byType) -> copy.put(purpose, Collections.unmodifiableMap(new TreeMap<>(byType))));
    this.sets = Collections.unmodifiableMap(copy);
    Map<String, Map<String, ElementSet>> agreed = new TreeMap<>();
    agreements.forEach((organization, byType) -> agreed.put(organization, Collections.unmodifiableMap(new TreeMap<>(byType))));
    this.agreements = Collections.unmodifiableMap(agreed);
  }

  /** The configuration shipped with this module. */
  public static MinimumNecessary loadDefault() {
    try (InputStream in = MinimumNecessary.class.getClassLoader().getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing classpath resource " + DEFAULT_RESOURCE);
      }
      return parse(new InputStreamReader(in, StandardCharsets.UTF_8), DEFAULT_RESOURCE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A configuration file of a deployment. */
  public static MinimumNecessary load(Path file) {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(reader, file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Parses a configuration.
   *
   * @throws IllegalArgumentException naming the source, the line and the fault
   */
  public static MinimumNecessary parse(Reader reader, String sourceName) throws IOException {
    MinimumNecessaryFile file = new MinimumNecessaryFile(sourceName);
    return new MinimumNecessary(file.parse(reader), file.agreements());
  }

  /** The element set of {@code resourceType} for {@code purpose}, if the configuration has one. */
  public Optional<ElementSet> elementSet(PurposeOfUse purpose, String resourceType) {
    return Optional.ofNullable(sets.getOrDefault(purpose, Map.of()).get(resourceType));
  }

  /**
   * The element set of {@code resourceType} that the business associate agreement of
   * {@code organization} ({@code Organization/<id>}) names, if the configuration has one.
   */
  public Optional<ElementSet> agreementSet(String organization, String resourceType) {
    if (organization == null || !organization.startsWith("Organization/")) {
      return Optional.empty();
    }
    return Optional.ofNullable(
        agreements.getOrDefault(organization.substring("Organization/".length()), Map.of()).get(resourceType));
  }

  /** Every set of {@code purpose}, by resource type. */
  public Map<String, ElementSet> elementSets(PurposeOfUse purpose) {
    return sets.getOrDefault(purpose, Map.of());
  }
}
