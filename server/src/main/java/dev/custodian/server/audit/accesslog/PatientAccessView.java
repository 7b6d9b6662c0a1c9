package dev.custodian.server.audit.accesslog;

import static dev.custodian.audit.AuditCodes.ACT_REASON;
import static dev.custodian.audit.AuditCodes.BTG;
import static dev.custodian.audit.AuditCodes.CLIENT_ID_SYSTEM;
import static dev.custodian.audit.AuditCodes.CUSTODIAN_ROLE;
import static dev.custodian.audit.AuditCodes.EXT_BREAK_GLASS_REASON;
import static dev.custodian.audit.AuditCodes.EXT_FLAGGED_FOR_REVIEW;

import java.util.Locale;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;

/**
 * One audit event as its patient sees it in their access log: who (a name and role, or the app's
 * name), when, what of theirs, why, and whether it was an emergency access. Built from an allow-list:
 * nothing else of the stored event comes along — no user, client or token ids, no network
 * addresses, no query strings (a search may name other patients), no policy reasoning.
 */
final class PatientAccessView {

  /** Custodian's access-log agent types: the person who accessed, the app they used. */
  static final String AGENT_TYPE_SYSTEM = "https://custodian.dev/fhir/CodeSystem/access-log-agent";

  private PatientAccessView() {}

  static AuditEvent of(AuditEvent stored, String patientReference, AccessLogNames names) {
    AuditEvent view = new AuditEvent();
    view.setId(stored.getIdElement().getIdPart());
    view.setType(stored.getType());
    stored.getSubtype().forEach(view::addSubtype);
    view.setActionElement(stored.getActionElement().copy());
    view.setRecordedElement(stored.getRecordedElement().copy());
    view.setOutcomeElement(stored.getOutcomeElement().copy());
    stored.getPurposeOfEvent().forEach(purpose -> view.addPurposeOfEvent(purpose.copy()));
    if (stored.getMeta().getSecurity(ACT_REASON, BTG) != null) {
      view.getMeta().addSecurity(ACT_REASON, BTG, "break the glass");
    }
    stored.getExtensionsByUrl(EXT_BREAK_GLASS_REASON).forEach(e -> view.addExtension(e.copy()));
    stored.getExtensionsByUrl(EXT_FLAGGED_FOR_REVIEW).forEach(e -> view.addExtension(e.copy()));

    for (AuditEventAgentComponent agent : stored.getAgent()) {
      Reference who = agent.getWho();
      boolean app = who.hasIdentifier() && CLIENT_ID_SYSTEM.equals(who.getIdentifier().getSystem());
      if (agent.getRequestor() && who.hasReference()) {
        AuditEventAgentComponent person = view.addAgent().setRequestor(true);
        person.setType(new CodeableConcept(new Coding(AGENT_TYPE_SYSTEM, "person", "person")));
        person.setWho(new Reference().setDisplay(names.person(who.getReference())));
        agent.getRole().forEach(role -> role.getCoding().stream()
            .filter(c -> CUSTODIAN_ROLE.equals(c.getSystem()))
            .forEach(c -> person.addRole(new CodeableConcept(new Coding(CUSTODIAN_ROLE, c.getCode(), roleDisplay(c.getCode()))))));
      } else if (app) {
        AuditEventAgentComponent application = view.addAgent().setRequestor(agent.getRequestor());
        application.setType(new CodeableConcept(new Coding(AGENT_TYPE_SYSTEM, "app", "app")));
        application.setWho(new Reference().setDisplay(names.app(who.getIdentifier().getValue())));
        agent.getRole().forEach(role -> role.getCoding().stream()
            .filter(c -> CUSTODIAN_ROLE.equals(c.getSystem()))
            .forEach(c -> application.addRole(new CodeableConcept(new Coding(CUSTODIAN_ROLE, c.getCode(), roleDisplay(c.getCode()))))));
      }
    }
    for (AuditEventEntityComponent entity : stored.getEntity()) {
      if (isOwnRecord(entity, patientReference)) {
        view.addEntity().setWhat(new Reference(entity.getWhat().getReference())).setType(entity.getType());
      }
    }
    return view;
  }

  /** A data entity naming one of the patient's own records (or the patient), never a query. */
  private static boolean isOwnRecord(AuditEventEntityComponent entity, String patientReference) {
    if (!entity.hasWhat() || !entity.getWhat().hasReference() || entity.hasQuery()) {
      return false;
    }
    IdType what = new IdType(entity.getWhat().getReference());
    if (!what.hasResourceType() || !what.hasIdPart()) {
      return false;
    }
    // the stored event is the patient's own (one event per patient), so its data entities are theirs;
    // a Patient entity that is not this patient is never shown
    return !"Patient".equals(what.getResourceType()) || patientReference.equals(what.getResourceType() + "/" + what.getIdPart());
  }

  /** "health-plan" → "Health plan". */
  static String roleDisplay(String code) {
    String words = code.replace('-', ' ');
    return words.substring(0, 1).toUpperCase(Locale.ROOT) + words.substring(1);
  }
}
