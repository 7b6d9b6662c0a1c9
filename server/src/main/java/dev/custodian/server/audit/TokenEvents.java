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
 * OAuth token events in the audit trail: an access token issued (with its {@code jti}, the scopes
 * and the client), and a grant revoked (by the revocation endpoint, by the person on their
 * connected-apps page, or because a spent refresh token came back). Type
 * {@value #TYPE_SYSTEM}{@code |oauth-token}, subtype {@code issued} or {@code revoked}.
 */
public class TokenEvents {

  public static final String TYPE_SYSTEM = "https://custodian.dev/fhir/CodeSystem/audit-event-type";

  private final GroupCommitWriter writer;
  private final ServerIdentity server;
  private final Clock clock;

  public TokenEvents(GroupCommitWriter writer, ServerIdentity server, Clock clock) {
    this.writer = writer;
    this.server = server;
    this.clock = clock;
  }

  /** An access token was issued to {@code clientId} for {@code principal}. */
  public void issued(String principal, String fhirUser, String clientId, String jti, String scopes) {
    writer.append(List.of(event("issued", principal, fhirUser, clientId, jti, "scopes: " + scopes)));
  }

  /** A grant and its tokens were revoked; {@code why} says by whom or what. */
  public void revoked(String principal, String fhirUser, String clientId, String jti, String why) {
    writer.append(List.of(event("revoked", principal, fhirUser, clientId, jti, why)));
  }

  private AuditEvent event(String subtype, String principal, String fhirUser, String clientId, String jti, String what) {
    AuditEvent event = SignInEvents.skeleton(new Coding(TYPE_SYSTEM, "oauth-token", "OAuth token"),
        new Coding(TYPE_SYSTEM, subtype, subtype), currentRequest(), server, clock);
    SignInEvents.outcome(event, null);
    event.setOutcomeDesc(what);
    AuditEvent.AuditEventAgentComponent requestor = event.getAgentFirstRep();
    boolean systemClient = principal == null || principal.equals(clientId);
    Reference client = new Reference().setIdentifier(new Identifier().setSystem(AuditCodes.CLIENT_ID_SYSTEM).setValue(clientId));
    if (systemClient) {
      requestor.setWho(client);
    } else {
      requestor.setWho(SignInEvents.who(principal, fhirUser));
      event.addAgent().setWho(client).setRequestor(false)
          .setType(new CodeableConcept(new Coding(AuditCodes.DCM, AuditCodes.DESTINATION_ROLE_ID, "Destination Role ID")));
    }
    if (jti != null) {
      requestor.addPolicy(AuditCodes.JTI_PREFIX + jti);
    }
    return event;
  }

  private static HttpServletRequest currentRequest() {
    return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
        ? attributes.getRequest() : null;
  }
}
