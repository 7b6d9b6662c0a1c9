package dev.custodian.server.audit;

import dev.custodian.audit.AuditCodes;
import dev.custodian.audit.ServerIdentity;
import dev.custodian.server.audit.store.GroupCommitWriter;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Changes to the registered SMART clients in the audit trail: type
 * {@value TokenEvents#TYPE_SYSTEM}{@code |client-registration}, subtype {@code created},
 * {@code updated} or {@code deleted}; the administrator as the requesting agent, the client (by
 * client id) as the entity, what it now is in {@code outcomeDesc}. Never a secret. A token refused
 * by the API is subtype {@code refused}, outcome 4, the user and the app it was issued to as agents.
 */
public class ClientRegistrationEvents {

  private final GroupCommitWriter writer;
  private final ServerIdentity server;
  private final Clock clock;

  public ClientRegistrationEvents(GroupCommitWriter writer, ServerIdentity server, Clock clock) {
    this.writer = writer;
    this.server = server;
    this.clock = clock;
  }

  /** {@code admin} created, updated or deleted ({@code change}) the client {@code clientId}. */
  public void changed(String admin, String clientId, String change, String description) {
    AuditEvent event = SignInEvents.skeleton(
        new Coding(TokenEvents.TYPE_SYSTEM, "client-registration", "SMART client registration"),
        new Coding(TokenEvents.TYPE_SYSTEM, change, change),
        RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes ? attributes.getRequest() : null,
        server, clock);
    SignInEvents.outcome(event, null);
    event.setAction(change.equals("created") ? AuditEvent.AuditEventAction.C
        : change.equals("deleted") ? AuditEvent.AuditEventAction.D : AuditEvent.AuditEventAction.U);
    event.setOutcomeDesc(description.length() > 1000 ? description.substring(0, 1000) + "…" : description);
    event.getAgentFirstRep().setWho(SignInEvents.who(admin, null));
    event.addEntity()
        .setWhat(new Reference().setIdentifier(new Identifier().setSystem(AuditCodes.CLIENT_ID_SYSTEM).setValue(clientId)))
        .setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"));
    writer.append(List.of(event));
  }

  /**
   * The user {@code username} ({@code fhirUser}, if any), through the app {@code clientId}, was
   * refused by the client admin API; {@code what} is the request and the reason.
   */
  public void refused(HttpServletRequest request, String username, String fhirUser, String clientId, String what) {
    AuditEvent event = SignInEvents.skeleton(
        new Coding(TokenEvents.TYPE_SYSTEM, "client-registration", "SMART client registration"),
        new Coding(TokenEvents.TYPE_SYSTEM, "refused", "refused"), request, server, clock);
    SignInEvents.outcome(event, what.length() > 1000 ? what.substring(0, 1000) + "…" : what);
    event.setAction(switch (request.getMethod()) {
      case "POST" -> AuditEvent.AuditEventAction.C;
      case "PUT", "PATCH" -> AuditEvent.AuditEventAction.U;
      case "DELETE" -> AuditEvent.AuditEventAction.D;
      default -> AuditEvent.AuditEventAction.R;
    });
    event.getAgentFirstRep().setWho(SignInEvents.who(username, fhirUser));
    if (clientId != null) {
      event.addAgent().setRequestor(false)
          .setWho(new Reference().setIdentifier(new Identifier().setSystem(AuditCodes.CLIENT_ID_SYSTEM).setValue(clientId)))
          .setType(new CodeableConcept(new Coding(AuditCodes.DCM, AuditCodes.DESTINATION_ROLE_ID, "Destination Role ID")));
    }
    writer.append(List.of(event));
  }
}
