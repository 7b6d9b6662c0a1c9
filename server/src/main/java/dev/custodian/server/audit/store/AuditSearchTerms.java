package dev.custodian.server.audit.store;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;

/**
 * The search terms of one AuditEvent, extracted once when it is appended: the values of the FHIR
 * search parameters {@code patient}, {@code agent}, {@code entity}, {@code type}, {@code subtype},
 * {@code action}, {@code outcome} and {@code purpose} as the store's array columns hold them.
 *
 * <p>A reference is stored as {@code Type/id} and as the bare {@code id} (FHIR lets a reference
 * parameter omit the type); a coding as {@code system|code}, {@code code} and {@code system|}, the
 * three forms a token parameter can ask for.
 */
public record AuditSearchTerms(
    List<String> patients,
    List<String> agents,
    List<String> entities,
    List<String> types,
    List<String> subtypes,
    List<String> actions,
    List<String> outcomes,
    List<String> purposes) {

  static final String ACTION_SYSTEM = "http://hl7.org/fhir/audit-event-action";
  static final String OUTCOME_SYSTEM = "http://hl7.org/fhir/audit-event-outcome";

  public static AuditSearchTerms of(AuditEvent event) {
    Set<String> patients = new LinkedHashSet<>();
    Set<String> agents = new LinkedHashSet<>();
    Set<String> entities = new LinkedHashSet<>();
    Set<String> purposes = new LinkedHashSet<>();
    for (AuditEvent.AuditEventAgentComponent agent : event.getAgent()) {
      addReference(agents, agent.getWho());
      if (isPatient(agent.getWho())) {
        addReference(patients, agent.getWho());
      }
      agent.getPurposeOfUse().forEach(purpose -> addConcept(purposes, purpose));
    }
    for (AuditEvent.AuditEventEntityComponent entity : event.getEntity()) {
      addReference(entities, entity.getWhat());
      if (isPatient(entity.getWhat())) {
        addReference(patients, entity.getWhat());
      }
    }
    event.getPurposeOfEvent().forEach(purpose -> addConcept(purposes, purpose));
    Set<String> types = new LinkedHashSet<>();
    addCoding(types, event.getType());
    Set<String> subtypes = new LinkedHashSet<>();
    event.getSubtype().forEach(coding -> addCoding(subtypes, coding));
    Set<String> actions = new LinkedHashSet<>();
    if (event.hasAction()) {
      addCoding(actions, new Coding(ACTION_SYSTEM, event.getAction().toCode(), null));
    }
    Set<String> outcomes = new LinkedHashSet<>();
    if (event.hasOutcome()) {
      addCoding(outcomes, new Coding(OUTCOME_SYSTEM, event.getOutcome().toCode(), null));
    }
    return new AuditSearchTerms(
        List.copyOf(patients), List.copyOf(agents), List.copyOf(entities), List.copyOf(types),
        List.copyOf(subtypes), List.copyOf(actions), List.copyOf(outcomes), List.copyOf(purposes));
  }

  /** The forms under which a reference value {@code Type/id} (or {@code id}) is stored. */
  static List<String> referenceForms(String typeAndId) {
    List<String> forms = new ArrayList<>();
    IdType id = new IdType(typeAndId);
    if (id.hasResourceType() && id.hasIdPart()) {
      forms.add(id.getResourceType() + "/" + id.getIdPart());
      forms.add(id.getIdPart());
    } else if (id.hasIdPart()) {
      forms.add(id.getIdPart());
    }
    return forms;
  }

  private static boolean isPatient(Reference reference) {
    return reference.hasReference() && "Patient".equals(new IdType(reference.getReference()).getResourceType());
  }

  private static void addReference(Set<String> terms, Reference reference) {
    if (reference.hasReference()) {
      terms.addAll(referenceForms(reference.getReference()));
    }
  }

  private static void addConcept(Set<String> terms, CodeableConcept concept) {
    concept.getCoding().forEach(coding -> addCoding(terms, coding));
  }

  private static void addCoding(Set<String> terms, Coding coding) {
    if (!coding.hasCode()) {
      return;
    }
    String system = coding.hasSystem() ? coding.getSystem() : "";
    terms.add(system + "|" + coding.getCode());
    terms.add(coding.getCode());
    if (coding.hasSystem()) {
      terms.add(system + "|");
    }
  }
}
