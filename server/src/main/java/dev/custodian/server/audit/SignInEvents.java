package dev.custodian.server.audit;

import dev.custodian.audit.AuditCodes;
import dev.custodian.audit.ServerIdentity;
import dev.custodian.server.audit.store.GroupCommitWriter;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

/**
 * Sign-in attempts and sign-outs in the audit trail (DICOM "User Authentication", subtype Login or
 * Logout). Sign-ins: who tried (their
 * FHIR user when the account exists, always the username given), from which address, and whether
 * it worked — a wrong password, a locked account and a wrong second-factor code are failures with
 * their reason. Recorded before the answer, like every other access.
 */
public class SignInEvents {

  static final String USER_AUTHENTICATION = "110114";
  static final String LOGIN = "110122";
  static final String LOGOUT = "110123";
  /** The identifier system of Custodian usernames in {@code agent.who.identifier}. */
  public static final String USERNAME_SYSTEM = "https://custodian.dev/fhir/sid/username";

  private final GroupCommitWriter writer;
  private final ServerIdentity server;
  private final Clock clock;

  public SignInEvents(GroupCommitWriter writer, ServerIdentity server, Clock clock) {
    this.writer = writer;
    this.server = server;
    this.clock = clock;
  }

  /** A complete sign-in (all factors). */
  public void succeeded(HttpServletRequest request, String username, String fhirUser) {
    writer.append(List.of(event(request, username, fhirUser, null)));
  }

  /** A refused sign-in step, with why ("wrong password or locked account", "wrong code"…). */
  public void failed(HttpServletRequest request, String username, String fhirUser, String reason) {
    writer.append(List.of(event(request, username, fhirUser, reason)));
  }

  /** A sign-out: the person ended their sign-in session (DICOM User Authentication, subtype Logout). */
  public void signedOut(HttpServletRequest request, String username, String fhirUser) {
    AuditEvent event = skeleton(new Coding(AuditCodes.DCM, USER_AUTHENTICATION, "User Authentication"),
        new Coding(AuditCodes.DCM, LOGOUT, "Logout"), request, server, clock);
    outcome(event, null);
    event.getAgentFirstRep().setWho(who(username, fhirUser));
    writer.append(List.of(event));
  }

  private AuditEvent event(HttpServletRequest request, String username, String fhirUser, String failure) {
    AuditEvent event = skeleton(new Coding(AuditCodes.DCM, USER_AUTHENTICATION, "User Authentication"),
        new Coding(AuditCodes.DCM, LOGIN, "Login"), request, server, clock);
    outcome(event, failure);
    AuditEvent.AuditEventAgentComponent user = event.getAgentFirstRep();
    user.setWho(who(username, fhirUser));
    return event;
  }

  /** A user reference: their FHIR user when known, always the username (at most 200 characters). */
  static Reference who(String username, String fhirUser) {
    Reference who = new Reference();
    if (fhirUser != null) {
      who.setReference(fhirUser);
    }
    if (username != null && !username.isBlank()) {
      who.setIdentifier(new Identifier().setSystem(USERNAME_SYSTEM).setValue(username.length() > 200 ? username.substring(0, 200) : username));
    } else {
      who.setDisplay("no username given");
    }
    return who;
  }

  static void outcome(AuditEvent event, String failure) {
    if (failure == null) {
      event.setOutcome(AuditEvent.AuditEventOutcome._0);
    } else {
      event.setOutcome(AuditEvent.AuditEventOutcome._4);
      event.setOutcomeDesc(failure);
    }
  }

  /**
   * An event of a security action outside the FHIR API: the requesting agent first (its {@code who}
   * for the caller to fill; the address of {@code request}), the server second, the source, and the
   * request id entity (the client's X-Request-ID or a new one).
   */
  static AuditEvent skeleton(Coding type, Coding subtype, HttpServletRequest request, ServerIdentity server, Clock clock) {
    AuditEvent event = new AuditEvent();
    event.setType(type);
    event.addSubtype(subtype);
    event.setAction(AuditEvent.AuditEventAction.E);
    event.setRecorded(Date.from(clock.instant()));
    AuditEvent.AuditEventAgentComponent requestor = event.addAgent().setRequestor(true);
    requestor.setType(new CodeableConcept(new Coding(AuditCodes.DCM, AuditCodes.SOURCE_ROLE_ID, "Source Role ID")));
    if (request != null) {
      requestor.getNetwork().setAddress(request.getRemoteAddr()).setType(AuditEvent.AuditEventAgentNetworkType._2);
    }
    AuditEvent.AuditEventAgentComponent serverAgent = event.addAgent().setWho(new Reference(server.observer())).setRequestor(false);
    serverAgent.setType(new CodeableConcept(new Coding(AuditCodes.DCM, AuditCodes.DESTINATION_ROLE_ID, "Destination Role ID")));
    event.getSource().setSite(server.site()).setObserver(new Reference(server.observer()))
        .addType(new Coding(AuditCodes.SECURITY_SOURCE_TYPE, AuditCodes.APPLICATION_SERVER, "Application Server"));
    String requestId = request == null ? null : request.getHeader("X-Request-ID");
    if (requestId == null || !requestId.matches("[A-Za-z0-9._-]{1,200}")) {
      requestId = UUID.randomUUID().toString();
    }
    event.addEntity()
        .setWhat(new Reference().setIdentifier(new Identifier().setValue(requestId)))
        .setType(new Coding(AuditCodes.BALP_ENTITY_TYPE, AuditCodes.X_REQUEST_ID, "X-Request-Id"));
    return event;
  }
}
