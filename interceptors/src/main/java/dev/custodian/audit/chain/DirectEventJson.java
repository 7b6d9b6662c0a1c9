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
import org.hl7.fhir.r4.model.Base;
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

  private final JsonGenerator out;

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

  private void agent(AuditEventAgentComponent agent) throws IOException {
    backbone(agent);
    out.writeStartObject();
    concept("type", agent.getType());
    concepts("role", agent.getRole());
    reference("who", agent.getWho());
    primitive("altId", agent.getAltIdElement());
    primitive("name", agent.getNameElement());
    primitive("requestor", agent.getRequestorElement());
    reference("location", agent.getLocation());
    primitives("policy", agent.getPolicy());
    coding("media", agent.getMedia());
    AuditEventAgentNetworkComponent network = agent.getNetwork();
    if (!network.isEmpty()) {
      backbone(network);
      out.writeObjectFieldStart("network");
      primitive("address", network.getAddressElement());
      primitive("type", network.getTypeElement());
      out.writeEndObject();
    }
    concepts("purposeOfUse", agent.getPurposeOfUse());
    out.writeEndObject();
  }

  private void source(AuditEventSourceComponent source) throws IOException {
    if (source.isEmpty()) {
      return;
    }
    backbone(source);
    out.writeObjectFieldStart("source");
    primitive("site", source.getSiteElement());
    reference("observer", source.getObserver());
    codings("type", source.getType());
    out.writeEndObject();
  }

  private void entity(AuditEventEntityComponent entity) throws IOException {
    backbone(entity);
    out.writeStartObject();
    reference("what", entity.getWhat());
    coding("type", entity.getType());
    coding("role", entity.getRole());
    coding("lifecycle", entity.getLifecycle());
    codings("securityLabel", entity.getSecurityLabel());
    primitive("name", entity.getNameElement());
    primitive("description", entity.getDescriptionElement());
    primitive("query", entity.getQueryElement());
    array("detail", entity.getDetail(), this::detail);
    out.writeEndObject();
  }

  private void detail(AuditEventEntityDetailComponent detail) throws IOException {
    backbone(detail);
    out.writeStartObject();
    primitive("type", detail.getTypeElement());
    Type value = detail.getValue();
    if (value instanceof StringType string) {
      primitive("valueString", string);
    } else if (value instanceof Base64BinaryType binary) {
      primitive("valueBase64Binary", binary);
    } else if (value != null && !value.isEmpty()) {
      throw UNSUPPORTED;
    }
    out.writeEndObject();
  }

  private void concept(String name, CodeableConcept concept) throws IOException {
    field(name, concept, this::conceptValue);
  }

  private void concepts(String name, List<CodeableConcept> concepts) throws IOException {
    array(name, concepts, this::conceptValue);
  }

  private void conceptValue(CodeableConcept concept) throws IOException {
    plain(concept);
    out.writeStartObject();
    codings("coding", concept.getCoding());
    primitive("text", concept.getTextElement());
    out.writeEndObject();
  }

  private void coding(String name, Coding coding) throws IOException {
    field(name, coding, this::codingValue);
  }

  private void codings(String name, List<Coding> codings) throws IOException {
    array(name, codings, this::codingValue);
  }

  private void codingValue(Coding coding) throws IOException {
    plain(coding);
    out.writeStartObject();
    primitive("system", coding.getSystemElement());
    primitive("version", coding.getVersionElement());
    primitive("code", coding.getCodeElement());
    primitive("display", coding.getDisplayElement());
    primitive("userSelected", coding.getUserSelectedElement());
    out.writeEndObject();
  }

  private void reference(String name, Reference reference) throws IOException {
    if (reference == null || reference.isEmpty()) {
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
    out.writeObjectFieldStart(name);
    primitive("reference", reference.getReferenceElement_());
    primitive("type", reference.getTypeElement());
    identifier("identifier", reference.getIdentifier());
    primitive("display", reference.getDisplayElement());
    out.writeEndObject();
  }

  private void identifier(String name, Identifier identifier) throws IOException {
    if (identifier == null || identifier.isEmpty()) {
      return;
    }
    plain(identifier);
    out.writeObjectFieldStart(name);
    primitive("use", identifier.getUseElement());
    concept("type", identifier.getType());
    primitive("system", identifier.getSystemElement());
    primitive("value", identifier.getValueElement());
    period("period", identifier.getPeriod());
    reference("assigner", identifier.getAssigner());
    out.writeEndObject();
  }

  private void period(String name, Period period) throws IOException {
    if (period == null || period.isEmpty()) {
      return;
    }
    plain(period);
    out.writeObjectFieldStart(name);
    primitive("start", period.getStartElement());
    primitive("end", period.getEndElement());
    out.writeEndObject();
  }

  private <T extends PrimitiveType<?>> void primitives(String name, List<T> values) throws IOException {
    array(name, values, value -> {
      plain(value);
      out.writeString(value.getValueAsString());
    });
  }

  /** A primitive as HAPI writes it: skipped when blank, a boolean as a JSON boolean, else text. */
  private void primitive(String name, PrimitiveType<?> value) throws IOException {
    if (value == null || value.isEmpty()) {
      return;
    }
    plain(value);
    if (value instanceof BooleanType bool) {
      out.writeBooleanField(name, bool.getValue());
    } else if (value.getValue() instanceof Number) {
      throw UNSUPPORTED; // no AuditEvent element is numeric; HAPI would write a JSON number
    } else {
      out.writeStringField(name, value.getValueAsString());
    }
  }

  /** One value of an array, written by one of the methods above. */
  @FunctionalInterface
  private interface ValueWriter<T> {
    void write(T value) throws IOException;
  }

  /** A non-empty value as the field {@code name}; nothing for an empty one, as HAPI does. */
  private <T extends Base> void field(String name, T value, ValueWriter<T> writer) throws IOException {
    if (value == null || value.isEmpty()) {
      return;
    }
    out.writeFieldName(name);
    writer.write(value);
  }

  /** The non-empty values as an array named {@code name}; nothing when there are none, as HAPI does. */
  private <T extends Base> void array(String name, List<T> values, ValueWriter<T> writer) throws IOException {
    if (!present(values)) {
      return;
    }
    out.writeArrayFieldStart(name);
    for (T value : values) {
      if (!value.isEmpty()) {
        writer.write(value);
      }
    }
    out.writeEndArray();
  }

  /** Whether {@code values} holds a non-empty one: HAPI writes no empty arrays. */
  private static boolean present(List<? extends Base> values) {
    for (Base value : values) {
      if (!value.isEmpty()) {
        return true;
      }
    }
    return false;
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
