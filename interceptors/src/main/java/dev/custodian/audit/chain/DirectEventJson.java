package dev.custodian.audit.chain;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentNetworkComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityDetailComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventSourceComponent;
import org.hl7.fhir.r4.model.BackboneElement;
import org.hl7.fhir.r4.model.Base64BinaryType;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Element;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;

/**
 * Writes the canonical JSON of the AuditEvents Custodian records itself, directly: the same bytes as
 * HAPI FHIR's JSON encoder (see {@link CanonicalForm}), in a tenth of the time.
 *
 * <p>Why our own writer: every audited request encodes its event, and HAPI's encoder walks the
 * element definitions reflectively, which cost about 0.2 ms of CPU per event, most of what auditing
 * cost a read. This writer knows the AuditEvent's shape: it writes each element in the order of the
 * FHIR definitions and skips empty ones, as HAPI does, through the same Jackson generator.
 *
 * <p>It covers what an event built by Custodian holds and nothing else: an element with an
 * {@code id}, an extension or a modifier extension, a resource with meta, text, contained
 * resources or extensions, a reference to an in-memory resource or to a contained one — each makes
 * {@link #write} return empty, and the caller falls back to HAPI's encoder. The audit trail verifier
 * always re-encodes with HAPI, so a difference between the two would show as a broken chain (and
 * {@code DirectEventJsonTest} compares them over random events).
 */
final class DirectEventJson {

  private static final JsonFactory JSON = new JsonFactory();

  /** Raised where the event holds something this writer does not cover. */
  private static final class Unsupported extends RuntimeException {
    Unsupported() {
      super(null, null, false, false);
    }
  }

  private static final Unsupported UNSUPPORTED = new Unsupported();

  /** Deeper than any AuditEvent Custodian builds: beyond it the event goes to HAPI's encoder. */
  private static final int MAX_DEPTH = 24;

  private final JsonGenerator out;

  /**
   * The objects and arrays opened below the event and not yet closed: whether each is an array, and
   * its field name (null for a value inside an array). HAPI leaves out every element that holds no
   * value, however deep; instead of asking each element whether it is empty before writing it (a
   * walk over all it holds, repeated at every level above), the writer opens an element only on
   * paper and writes its name and its opening once a value beneath it is written. An element under
   * which nothing was written then leaves no trace.
   */
  private final boolean[] arrays = new boolean[MAX_DEPTH];
  private final String[] names = new String[MAX_DEPTH];
  /** How many elements are open; the first {@code written} of them are written out. */
  private int depth;
  private int written;

  private DirectEventJson(JsonGenerator out) {
    this.out = out;
  }

  /** The canonical JSON of {@code event} (its id left out), or empty when it needs HAPI's encoder. */
  static Optional<String> write(AuditEvent event) {
    if (event.hasMeta() || event.hasImplicitRules() || event.hasLanguage() || event.hasText()
        || event.hasContained() || event.hasExtension() || event.hasModifierExtension()
        || event.getIdElement().hasVersionIdPart()) { // HAPI would write the version as meta.versionId
      return Optional.empty();
    }
    StringWriter text = new StringWriter(2048);
    try (JsonGenerator generator = JSON.createGenerator(text)) {
      new DirectEventJson(generator).event(event);
    } catch (Unsupported e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return Optional.of(text.toString());
  }

  private void event(AuditEvent event) throws IOException {
    out.writeStartObject();
    out.writeStringField("resourceType", "AuditEvent");
    coding("type", event.getType());
    codings("subtype", event.getSubtype());
    primitive("action", event.getActionElement());
    period("period", event.getPeriod());
    primitive("recorded", event.getRecordedElement());
    primitive("outcome", event.getOutcomeElement());
    primitive("outcomeDesc", event.getOutcomeDescElement());
    concepts("purposeOfEvent", event.getPurposeOfEvent());
    array("agent", event.getAgent(), this::agent);
    source(event.getSource());
    array("entity", event.getEntity(), this::entity);
    out.writeEndObject();
  }

  private void agent(String name, AuditEventAgentComponent agent) throws IOException {
    backbone(agent);
    openObject(name);
    concept("type", agent.getType());
    concepts("role", agent.getRole());
    reference("who", agent.getWho());
    primitive("altId", agent.getAltIdElement());
    primitive("name", agent.getNameElement());
    primitive("requestor", agent.getRequestorElement());
    reference("location", agent.getLocation());
    array("policy", agent.getPolicy(), this::primitive);
    coding("media", agent.getMedia());
    AuditEventAgentNetworkComponent network = agent.getNetwork();
    if (network != null) {
      backbone(network);
      openObject("network");
      primitive("address", network.getAddressElement());
      primitive("type", network.getTypeElement());
      close();
    }
    concepts("purposeOfUse", agent.getPurposeOfUse());
    close();
  }

  private void source(AuditEventSourceComponent source) throws IOException {
    if (source == null) {
      return;
    }
    backbone(source);
    openObject("source");
    primitive("site", source.getSiteElement());
    reference("observer", source.getObserver());
    codings("type", source.getType());
    close();
  }

  private void entity(String name, AuditEventEntityComponent entity) throws IOException {
    backbone(entity);
    openObject(name);
    reference("what", entity.getWhat());
    coding("type", entity.getType());
    coding("role", entity.getRole());
    coding("lifecycle", entity.getLifecycle());
    codings("securityLabel", entity.getSecurityLabel());
    primitive("name", entity.getNameElement());
    primitive("description", entity.getDescriptionElement());
    primitive("query", entity.getQueryElement());
    array("detail", entity.getDetail(), this::detail);
    close();
  }

  private void detail(String name, AuditEventEntityDetailComponent detail) throws IOException {
    backbone(detail);
    openObject(name);
    primitive("type", detail.getTypeElement());
    Type value = detail.getValue();
    if (value instanceof StringType string) {
      primitive("valueString", string);
    } else if (value instanceof Base64BinaryType binary) {
      primitive("valueBase64Binary", binary);
    } else if (value != null && !value.isEmpty()) {
      throw UNSUPPORTED;
    }
    close();
  }

  private void concept(String name, CodeableConcept concept) throws IOException {
    if (concept != null) {
      conceptValue(name, concept);
    }
  }

  private void concepts(String name, List<CodeableConcept> concepts) throws IOException {
    array(name, concepts, this::conceptValue);
  }

  private void conceptValue(String name, CodeableConcept concept) throws IOException {
    plain(concept);
    openObject(name);
    codings("coding", concept.getCoding());
    primitive("text", concept.getTextElement());
    close();
  }

  private void coding(String name, Coding coding) throws IOException {
    if (coding != null) {
      codingValue(name, coding);
    }
  }

  private void codings(String name, List<Coding> codings) throws IOException {
    array(name, codings, this::codingValue);
  }

  private void codingValue(String name, Coding coding) throws IOException {
    plain(coding);
    openObject(name);
    primitive("system", coding.getSystemElement());
    primitive("version", coding.getVersionElement());
    primitive("code", coding.getCodeElement());
    primitive("display", coding.getDisplayElement());
    primitive("userSelected", coding.getUserSelectedElement());
    close();
  }

  private void reference(String name, Reference reference) throws IOException {
    if (reference == null) {
      return;
    }
    plain(reference);
    // HAPI rewrites a reference to an in-memory or contained resource; plain text it writes as is
    if (reference.getResource() != null || (reference.hasReference() && reference.getReference().startsWith("#"))) {
      throw UNSUPPORTED;
    }
    if (reference.hasReference() && !reference.getReference().equals(reference.getReferenceElement().getValue())) {
      throw UNSUPPORTED; // HAPI would write its parsed form
    }
    openObject(name);
    primitive("reference", reference.getReferenceElement_());
    primitive("type", reference.getTypeElement());
    if (reference.hasIdentifier()) { // asked first: an identifier's assigner is a reference again
      identifier("identifier", reference.getIdentifier());
    }
    primitive("display", reference.getDisplayElement());
    close();
  }

  private void identifier(String name, Identifier identifier) throws IOException {
    if (identifier == null) {
      return;
    }
    plain(identifier);
    openObject(name);
    primitive("use", identifier.getUseElement());
    concept("type", identifier.getType());
    primitive("system", identifier.getSystemElement());
    primitive("value", identifier.getValueElement());
    period("period", identifier.getPeriod());
    if (identifier.hasAssigner()) { // asked first: the getter would make one, and it an identifier
      reference("assigner", identifier.getAssigner());
    }
    close();
  }

  private void period(String name, Period period) throws IOException {
    if (period == null) {
      return;
    }
    plain(period);
    openObject(name);
    primitive("start", period.getStartElement());
    primitive("end", period.getEndElement());
    close();
  }

  /**
   * A primitive as HAPI writes it: skipped when blank, a boolean as a JSON boolean, else text; as a
   * field when {@code name} is given, else as a value of the array open around it.
   */
  private void primitive(String name, PrimitiveType<?> value) throws IOException {
    if (value == null) {
      return;
    }
    plain(value);
    String text = value.getValueAsString();
    if (text == null || text.isBlank()) {
      return; // HAPI's test for an empty primitive (without id or extension, which plain refuses)
    }
    if (value.getValue() instanceof Number) {
      throw UNSUPPORTED; // no AuditEvent element is numeric; HAPI would write a JSON number
    }
    writeOpened();
    if (name != null) {
      out.writeFieldName(name);
    }
    if (value instanceof BooleanType bool) {
      out.writeBoolean(bool.getValue());
    } else {
      out.writeString(text);
    }
  }

  /** One value of an array (its name null) or of a field, written by one of the methods above. */
  @FunctionalInterface
  private interface ValueWriter<T> {
    void write(String name, T value) throws IOException;
  }

  /** The values as an array named {@code name}; nothing when none holds a value, as HAPI does. */
  private <T> void array(String name, List<T> values, ValueWriter<T> writer) throws IOException {
    if (values.isEmpty()) {
      return;
    }
    open(true, name);
    for (T value : values) {
      writer.write(null, value);
    }
    close();
  }

  private void openObject(String name) {
    open(false, name);
  }

  /** Opens an object or array on paper: it is written with the first value written beneath it. */
  private void open(boolean array, String name) {
    if (depth == MAX_DEPTH) {
      throw UNSUPPORTED;
    }
    arrays[depth] = array;
    names[depth] = name;
    depth++;
  }

  /** Writes the names and openings of the elements opened on paper, from the outermost one in. */
  private void writeOpened() throws IOException {
    for (; written < depth; written++) {
      if (names[written] != null) {
        out.writeFieldName(names[written]);
      }
      if (arrays[written]) {
        out.writeStartArray();
      } else {
        out.writeStartObject();
      }
    }
  }

  /** Closes the innermost open element: writes its end if it was written, else forgets it. */
  private void close() throws IOException {
    depth--;
    if (written > depth) {
      written = depth;
      if (arrays[depth]) {
        out.writeEndArray();
      } else {
        out.writeEndObject();
      }
    }
  }

  private static void plain(Element element) {
    if (element.hasId() || element.hasExtension()) {
      throw UNSUPPORTED;
    }
  }

  private static void backbone(BackboneElement element) {
    plain(element);
    if (element.hasModifierExtension()) {
      throw UNSUPPORTED;
    }
  }
}
