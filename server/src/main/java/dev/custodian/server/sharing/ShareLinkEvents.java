package dev.custodian.server.sharing;

import static dev.custodian.audit.AuditCodes.AUDIT_ENTITY_TYPE;
import static dev.custodian.audit.AuditCodes.BALP_ENTITY_TYPE;
import static dev.custodian.audit.AuditCodes.CLIENT_ID_SYSTEM;
import static dev.custodian.audit.AuditCodes.CUSTODIAN_ROLE;
import static dev.custodian.audit.AuditCodes.DCM;
import static dev.custodian.audit.AuditCodes.DESTINATION_ROLE_ID;
import static dev.custodian.audit.AuditCodes.DETAIL_BASIS;
import static dev.custodian.audit.AuditCodes.DETAIL_DECISION;
import static dev.custodian.audit.AuditCodes.DETAIL_REASON;
import static dev.custodian.audit.AuditCodes.ENTITY_PERSON;
import static dev.custodian.audit.AuditCodes.ENTITY_SYSTEM_OBJECT;
import static dev.custodian.audit.AuditCodes.JTI_PREFIX;
import static dev.custodian.audit.AuditCodes.OBJECT_ROLE;
import static dev.custodian.audit.AuditCodes.RESOURCE_TYPES;
import static dev.custodian.audit.AuditCodes.ROLE_DOMAIN_RESOURCE;
import static dev.custodian.audit.AuditCodes.ROLE_PATIENT;
import static dev.custodian.audit.AuditCodes.SOURCE_ROLE_ID;
import static dev.custodian.audit.AuditCodes.X_REQUEST_ID;

import dev.custodian.audit.AccessedResource;
import dev.custodian.audit.ServerIdentity;
import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.caller.PurposeOfUse;
import dev.custodian.policy.caller.ShareLinkHolders;
import dev.custodian.server.audit.store.GroupCommitWriter;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentNetworkType;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Share-link events in the audit trail (type {@value #SYSTEM}{@code |share-link}, subtype create,
 * create-refused, redeem, redeem-refused, download, revoke, reissue): who created or revoked the link (or the
 * link's holder: its client id {@code custodian-share-link}, the redeeming address, the user agent),
 * the patient, what was shared or served (with the policy's decision), the link (by id, never its
 * token), its Consent, and the request id. Written durably before the answer, like every access; a
 * patient sees them in her access log.
 */
class ShareLinkEvents {

  /** The code system of share-link event types. */
  static final String SYSTEM = "https://custodian.dev/fhir/CodeSystem/share-link-event";
  /** The identifier system of share links in audit entities. */
  static final String LINK_ID_SYSTEM = ReleaseAuthorizationConsents.SHARE_LINK_SYSTEM;

  private final GroupCommitWriter writer;
  private final ServerIdentity server;
  private final Clock clock;

  ShareLinkEvents(GroupCommitWriter writer, ServerIdentity server, Clock clock) {
    this.writer = writer;
    this.server = server;
    this.clock = clock;
  }

  void created(Caller creator, ShareLink link, List<AccessedResource> decided) {
    AuditEvent event = event("create", AuditEventAction.C, null);
    byCaller(event, creator);
    about(event, link.patient(), decided);
    link(event, link, null);
    writer.append(List.of(event));
  }

  void creationRefused(Caller creator, String patient, List<AccessedResource> decided) {
    AuditEvent event = event("create-refused", AuditEventAction.C, "the creator may not share every named study");
    byCaller(event, creator);
    about(event, patient, decided);
    writer.append(List.of(event));
  }

  void revoked(Caller owner, ShareLink link, String why) {
    AuditEvent event = event("revoke", AuditEventAction.D, null);
    if (owner != null) {
      byCaller(event, owner);
    } else {
      event.getAgentFirstRep().setWho(new Reference(server.observer())).setName(why);
    }
    about(event, link.patient(), List.of());
    link(event, link, null);
    writer.append(List.of(event));
  }

  /**
   * A list of links shown to {@code owner}: one event per patient whose links it showed (BALP's
   * patient query pattern), naming each link; one without a patient when it showed none.
   */
  void listed(Caller owner, Map<String, List<ShareLink>> byPatient) {
    List<AuditEvent> listed = new ArrayList<>();
    if (byPatient.isEmpty()) {
      AuditEvent event = event("list", AuditEventAction.R, null);
      byCaller(event, owner);
      listed.add(event);
    }
    byPatient.forEach((patient, links) -> {
      AuditEvent event = event("list", AuditEventAction.R, null);
      byCaller(event, owner);
      about(event, patient, List.of());
      links.forEach(link -> link(event, link, null));
      listed.add(event);
    });
    writer.append(listed);
  }

  /** A new token for the link, asked for by its {@code owner} (the old token no longer opens it). */
  void reissued(Caller owner, ShareLink link) {
    AuditEvent event = event("reissue", AuditEventAction.U, null);
    byCaller(event, owner);
    about(event, link.patient(), List.of());
    link(event, link, null);
    writer.append(List.of(event));
  }

  /** A redemption (one use) by the link's holder from {@code request}. */
  void redeemed(ShareLink link, HttpServletRequest request) {
    AuditEvent event = event("redeem", AuditEventAction.R, null);
    byHolder(event, link.id(), request);
    about(event, link.patient(), List.of());
    link(event, link, request);
    writer.append(List.of(event));
  }

  /** The records shown again to the holder of a redeemed link's session, with the decision on each. */
  void viewed(ShareLink link, HttpServletRequest request, List<AccessedResource> decided) {
    AuditEvent event = event("view", AuditEventAction.R, null);
    byHolder(event, link.id(), request);
    about(event, link.patient(), decided);
    link(event, link, request);
    writer.append(List.of(event));
  }

  /** A refused redemption: {@code link} null for an unknown token. */
  void redemptionRefused(ShareLink link, HttpServletRequest request, String why) {
    AuditEvent event = event("redeem-refused", AuditEventAction.R, why);
    byHolder(event, link == null ? null : link.id(), request);
    if (link != null) {
      about(event, link.patient(), List.of());
      link(event, link, request);
    } else {
      userAgentEntity(event, request);
    }
    writer.append(List.of(event));
  }

  /** A download of the link's images as a ZIP: what was served, or why it failed. */
  void downloaded(ShareLink link, HttpServletRequest request, List<AccessedResource> served, String failure) {
    AuditEvent event = event("download", AuditEventAction.R, failure);
    byHolder(event, link.id(), request);
    about(event, link.patient(), served);
    link(event, link, request);
    writer.append(List.of(event));
  }

  private AuditEvent event(String code, AuditEventAction action, String failure) {
    AuditEvent event = new AuditEvent();
    event.setType(new Coding(SYSTEM, "share-link", "Share link"));
    event.addSubtype(new Coding(SYSTEM, code, code.replace('-', ' ')));
    event.setAction(action);
    event.setRecorded(Date.from(clock.instant()));
    if (failure == null) {
      event.setOutcome(AuditEventOutcome._0);
    } else {
      event.setOutcome(AuditEventOutcome._4);
      event.setOutcomeDesc(failure);
    }
    AuditEventAgentComponent requestor = event.addAgent().setRequestor(true);
    requestor.setType(new CodeableConcept(new Coding(DCM, SOURCE_ROLE_ID, "Source Role ID")));
    HttpServletRequest request = currentRequest();
    if (request != null) {
      requestor.getNetwork().setAddress(request.getRemoteAddr()).setType(AuditEventAgentNetworkType._2);
    }
    AuditEventAgentComponent serverAgent = event.addAgent().setWho(new Reference(server.observer())).setRequestor(false);
    serverAgent.setType(new CodeableConcept(new Coding(DCM, DESTINATION_ROLE_ID, "Destination Role ID")));
    event.getSource().setSite(server.site()).setObserver(new Reference(server.observer()));
    String requestId = request == null ? null : request.getHeader("X-Request-ID");
    if (requestId == null || !requestId.matches("[A-Za-z0-9._-]{1,200}")) {
      requestId = UUID.randomUUID().toString();
    }
    event.addEntity()
        .setWhat(new Reference().setIdentifier(new Identifier().setValue(requestId)))
        .setType(new Coding(BALP_ENTITY_TYPE, X_REQUEST_ID, "X-Request-Id"));
    return event;
  }

  private static void byCaller(AuditEvent event, Caller caller) {
    AuditEventAgentComponent agent = event.getAgentFirstRep();
    if (caller.fhirUser() != null) {
      agent.setWho(new Reference(caller.fhirUser()));
    } else {
      agent.setWho(new Reference().setIdentifier(new Identifier().setSystem(CLIENT_ID_SYSTEM).setValue(caller.clientId())));
    }
    agent.setAltId(caller.clientId());
    caller.roles().forEach(role -> agent.addRole(new CodeableConcept(
        new Coding(CUSTODIAN_ROLE, role.name().toLowerCase(Locale.ROOT).replace('_', '-'), null))));
    agent.addPurposeOfUse(new CodeableConcept(new Coding(PurposeOfUse.SYSTEM, caller.purpose().code(), caller.purpose().display())));
    agent.addPolicy(JTI_PREFIX + caller.tokenId());
  }

  private static void byHolder(AuditEvent event, UUID linkId, HttpServletRequest request) {
    AuditEventAgentComponent agent = event.getAgentFirstRep();
    agent.setWho(new Reference().setIdentifier(new Identifier().setSystem(CLIENT_ID_SYSTEM).setValue(ShareLinkHolders.CLIENT_ID)));
    agent.setName("holder of a share link");
    if (linkId != null) {
      agent.addPolicy(JTI_PREFIX + linkId);
    }
    if (request != null && agent.getNetwork().isEmpty()) {
      agent.getNetwork().setAddress(request.getRemoteAddr()).setType(AuditEventAgentNetworkType._2);
    }
  }

  private static void about(AuditEvent event, String patient, List<AccessedResource> data) {
    event.addEntity()
        .setWhat(new Reference(patient))
        .setType(new Coding(AUDIT_ENTITY_TYPE, ENTITY_PERSON, "Person"))
        .setRole(new Coding(OBJECT_ROLE, ROLE_PATIENT, "Patient"));
    for (AccessedResource resource : data) {
      AuditEventEntityComponent entity = event.addEntity()
          .setWhat(new Reference(resource.reference()))
          .setType(new Coding(AUDIT_ENTITY_TYPE, ENTITY_SYSTEM_OBJECT, "System Object"))
          .setRole(new Coding(OBJECT_ROLE, ROLE_DOMAIN_RESOURCE, "Domain Resource"));
      if (resource.decision() != null) {
        entity.addDetail().setType(DETAIL_DECISION).setValue(new StringType(resource.decision().effect().name()));
        entity.addDetail().setType(DETAIL_BASIS).setValue(new StringType(resource.decision().basis().name()));
        entity.addDetail().setType(DETAIL_REASON).setValue(new StringType(resource.decision().reason()));
      }
    }
  }

  /** The link (by id; never its token), its state, its Consent, and the redeeming user agent. */
  private void link(AuditEvent event, ShareLink link, HttpServletRequest request) {
    AuditEventEntityComponent entity = event.addEntity()
        .setWhat(new Reference().setIdentifier(new Identifier().setSystem(LINK_ID_SYSTEM).setValue(link.id().toString())))
        .setType(new Coding(AUDIT_ENTITY_TYPE, ENTITY_SYSTEM_OBJECT, "System Object"))
        .setDescription("share link of " + String.join(", ", link.data()) + " for "
            + (link.recipientLabel() == null ? "an unnamed recipient" : link.recipientLabel()));
    entity.addDetail().setType("created-by").setValue(new StringType(link.creator()));
    entity.addDetail().setType("expires").setValue(new StringType(link.expiresAt().toString()));
    entity.addDetail().setType("uses").setValue(new StringType(link.uses() + " of " + link.maxUses()));
    entity.addDetail().setType("state").setValue(new StringType(link.state(clock.instant())));
    addUserAgent(entity, request);
    if (link.consent() != null) {
      event.addEntity().setWhat(new Reference(link.consent())).setType(new Coding(RESOURCE_TYPES, "Consent", "Consent"))
          .setDescription("the release authorization of the share link");
    }
  }

  private static void userAgentEntity(AuditEvent event, HttpServletRequest request) {
    AuditEventEntityComponent entity = event.addEntity()
        .setType(new Coding(AUDIT_ENTITY_TYPE, ENTITY_SYSTEM_OBJECT, "System Object"))
        .setDescription("an unknown, malformed or spent share link token");
    addUserAgent(entity, request);
  }

  private static void addUserAgent(AuditEventEntityComponent entity, HttpServletRequest request) {
    String agent = request == null ? null : request.getHeader("User-Agent");
    if (agent != null && !agent.isBlank()) {
      entity.addDetail().setType("user-agent").setValue(new StringType(agent.length() > 300 ? agent.substring(0, 300) : agent));
    }
  }

  private static HttpServletRequest currentRequest() {
    return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
        ? attributes.getRequest() : null;
  }
}
