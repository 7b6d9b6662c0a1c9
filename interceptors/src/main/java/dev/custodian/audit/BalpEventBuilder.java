package dev.custodian.audit;

import static dev.custodian.audit.AuditCodes.*;

import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.caller.PurposeOfUse;
import dev.custodian.policy.caller.Role;
import dev.custodian.policy.decision.Decision;
import dev.custodian.policy.decision.Effect;
import dev.custodian.policy.facts.EmergencyGrant;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TimeZone;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentNetworkType;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;

/**
 * Builds the IHE BALP (Basic Audit Log Patterns) RESTful AuditEvents of one access. The shape is
 * described in the module README ("Audit"); in short:
 *
 * <ul>
 *   <li>{@code type} = audit-event-type {@code rest}; {@code subtype} = the restful-interaction code
 *       ({@code read}, {@code vread}, {@code search-type}, {@code create}, ...); {@code action} C/R/U/D/E
 *       as BALP gives it (E for searches and operations).</li>
 *   <li>{@code outcome} 0 for a success, 4 for a 4xx or a denial, 8 for a 5xx, with {@code outcomeDesc}
 *       on a failure.</li>
 *   <li>agents: the user (fhirUser, {@code requestor}, roles, purposeOfUse, the token's jti in
 *       {@code policy} as BALP's OAUTHaccessTokenUse.Minimal), the client app (who.identifier = client
 *       id; the requestor, with the jti, when there is no user), the server (who = the observer).</li>
 *   <li>entities: the patient, the data touched, the query (base64 of the raw request URL) for searches,
 *       the X-Request-Id, and each Consent that decided the access.</li>
 *   <li>One event per patient whose data was touched (BALP PatientQuery/PatientRead); data that belongs
 *       to no patient gets one event without a patient entity; a request that touched nothing gets one
 *       event.</li>
 *   <li>Emergency access: when the caller asserts ETREAT/BTG, or the event's data was released under a
 *       break-the-glass grant of its patient, the event is labelled BTG and carries the written reason
 *       (the grant's, when there is one); the grant's purpose is then the event's purposeOfEvent and
 *       the requesting agent's purposeOfUse. A flagged decision adds the flagged-for-review
 *       extension.</li>
 * </ul>
 *
 * Thread-safe; the events are new objects, without id or chain extension (see
 * {@link dev.custodian.audit.chain.AuditChain}).
 */
public final class BalpEventBuilder {

  private final ServerIdentity server;

  public BalpEventBuilder(ServerIdentity server) {
    this.server = Objects.requireNonNull(server, "server");
  }

  /** The events of {@code access}: one per patient of the data touched (at least one). */
  public List<AuditEvent> build(AccessRecord access) {
    Map<String, List<AccessedResource>> byPatient = groupByPatient(access);
    List<AuditEvent> events = new ArrayList<>();
    for (Map.Entry<String, List<AccessedResource>> group : byPatient.entrySet()) {
      events.add(event(access, group.getKey(), group.getValue()));
    }
    return events;
  }

  /**
   * Groups the recorded resources by patient (insertion order, patientless last). A query records the
   * data returned only: resources the policy denied were filtered out of the response and are not
   * part of the access. Other interactions record every resource they touched, denied ones too.
   */
  private static Map<String, List<AccessedResource>> groupByPatient(AccessRecord access) {
    Map<String, List<AccessedResource>> groups = new LinkedHashMap<>();
    List<AccessedResource> patientless = new ArrayList<>();
    for (AccessedResource resource : access.resources()) {
      if (access.interaction().isQuery() && !resource.released()) {
        continue;
      }
      if (resource.patients().isEmpty()) {
        patientless.add(resource);
      }
      for (String patient : resource.patients()) {
        groups.computeIfAbsent(patient, p -> new ArrayList<>()).add(resource);
      }
    }
    if (!patientless.isEmpty() || groups.isEmpty()) {
      groups.put(null, patientless);
    }
    return groups;
  }

  private AuditEvent event(AccessRecord access, String patient, List<AccessedResource> data) {
    RestInteraction interaction = access.interaction();
    Caller caller = access.caller();
    AuditEvent event = new AuditEvent();

    // emergency access under a break-the-glass grant: the grant's purpose and written reason
    EmergencyGrant grant = emergencyGrant(patient, data);
    PurposeOfUse purpose = grant != null ? grant.purpose() : caller != null ? caller.purpose() : null;
    boolean flagged = data.stream().anyMatch(r -> r.decision() != null && r.decision().flaggedForReview());
    if (grant != null || (caller != null && caller.purpose().isEmergency())) {
      event.getMeta().addSecurity(ACT_REASON, BTG, "break the glass");
      event.addExtension(EXT_BREAK_GLASS_REASON,
          new StringType(grant != null ? grant.reason() : caller.breakGlassReason()));
    }
    if (flagged) {
      event.addExtension(EXT_FLAGGED_FOR_REVIEW, new BooleanType(true));
    }

    event.setType(new Coding(AUDIT_EVENT_TYPE, REST, REST_DISPLAY));
    event.addSubtype(new Coding(RESTFUL_INTERACTION, interaction.code(), interaction.code()));
    if (access.consentChange() != null) {
      event.addSubtype(new Coding(ConsentChange.SYSTEM, access.consentChange().code(), access.consentChange().display()));
    }
    event.setAction(interaction.action());
    event.setRecordedElement(
        new InstantType(Date.from(access.recorded()), TemporalPrecisionEnum.MILLI, TimeZone.getTimeZone("UTC")));
    outcome(event, access, data);
    if (purpose != null) {
      event.addPurposeOfEvent(purpose(purpose));
    }

    agents(event, access, purpose);
    event.getSource()
        .setSite(server.site())
        .setObserver(new Reference(server.observer()))
        .addType(new Coding(SECURITY_SOURCE_TYPE, APPLICATION_SERVER, "Application Server"));

    if (patient != null) {
      event.addEntity()
          .setWhat(new Reference(patient))
          .setType(new Coding(AUDIT_ENTITY_TYPE, ENTITY_PERSON, "Person"))
          .setRole(new Coding(OBJECT_ROLE, ROLE_PATIENT, "Patient"));
    }
    for (AccessedResource resource : data) {
      dataEntity(event, resource);
    }
    if (data.isEmpty() && access.requestedReference() != null && !interaction.isQuery()) {
      event.addEntity()
          .setWhat(new Reference(access.requestedReference()))
          .setType(new Coding(AUDIT_ENTITY_TYPE, ENTITY_SYSTEM_OBJECT, "System Object"))
          .setRole(new Coding(OBJECT_ROLE, ROLE_DOMAIN_RESOURCE, "Domain Resource"));
    }
    if (interaction.isQuery()) {
      event.addEntity()
          .setType(new Coding(AUDIT_ENTITY_TYPE, ENTITY_SYSTEM_OBJECT, "System Object"))
          .setRole(new Coding(OBJECT_ROLE, ROLE_QUERY, "Query"))
          .setQuery(access.requestUrl().getBytes(StandardCharsets.UTF_8));
    }
    event.addEntity()
        .setWhat(new Reference().setIdentifier(new Identifier().setValue(access.requestId())))
        .setType(new Coding(BALP_ENTITY_TYPE, X_REQUEST_ID, "X-Request-Id"));
    consentEntities(event, data);
    return event;
  }

  private static void outcome(AuditEvent event, AccessRecord access, List<AccessedResource> data) {
    int status = access.httpStatus();
    Decision denial = data.stream()
        .map(AccessedResource::decision)
        .filter(d -> d != null && d.effect() == Effect.DENY)
        .findFirst()
        .orElse(null);
    if (status >= 500) {
      event.setOutcome(AuditEventOutcome._8);
    } else if (status >= 400 || (denial != null && !access.interaction().isQuery())) {
      event.setOutcome(AuditEventOutcome._4);
    } else {
      event.setOutcome(AuditEventOutcome._0);
      return;
    }
    String description;
    if (access.failure() != null && !access.failure().isBlank()) {
      description = access.failure();
    } else if (denial != null) {
      description = "denied: " + denial.reason();
    } else {
      description = "HTTP " + status;
    }
    event.setOutcomeDesc(description);
  }

  private void agents(AuditEvent event, AccessRecord access, PurposeOfUse purpose) {
    RestInteraction interaction = access.interaction();
    Caller caller = access.caller();
    boolean readShape = interaction.shape() == RestInteraction.Shape.READ;
    String clientRole = readShape ? DESTINATION_ROLE_ID : SOURCE_ROLE_ID;
    String serverRole = readShape ? SOURCE_ROLE_ID : DESTINATION_ROLE_ID;
    boolean user = caller != null && !caller.isSystemClient();

    if (user) {
      AuditEventAgentComponent agent = event.addAgent();
      agent.setType(new CodeableConcept()
          .addCoding(userParticipation(interaction))
          .addCoding(new Coding(BALP_USER_AGENT_TYPES, USER_OAUTH_AGENT, "User OAuth Agent participant")));
      agent.setWho(new Reference(caller.fhirUser())).setRequestor(true);
      callerDetails(agent, caller, purpose);
    }

    AuditEventAgentComponent client = event.addAgent();
    client.setType(new CodeableConcept(new Coding(DCM, clientRole, roleDisplay(clientRole))));
    String clientId = access.effectiveClientId();
    if (clientId != null) {
      client.setWho(new Reference().setIdentifier(new Identifier().setSystem(CLIENT_ID_SYSTEM).setValue(clientId)));
    } else {
      client.setWho(new Reference().setDisplay("unauthenticated client"));
    }
    client.setRequestor(!user);
    if (!user && caller != null) {
      callerDetails(client, caller, purpose);
    }
    if (access.clientAddress() != null) {
      client.getNetwork().setAddress(access.clientAddress()).setType(AuditEventAgentNetworkType._2);
    }

    AuditEventAgentComponent serverAgent = event.addAgent();
    serverAgent.setType(new CodeableConcept(new Coding(DCM, serverRole, roleDisplay(serverRole))));
    serverAgent.setWho(new Reference(server.observer())).setRequestor(false);
    serverAgent.getNetwork().setAddress(server.baseUrl()).setType(AuditEventAgentNetworkType._5);
  }

  /**
   * The break-the-glass grant the data of this event was released under (the one of its patient), or
   * null when none was.
   */
  private static EmergencyGrant emergencyGrant(String patient, List<AccessedResource> data) {
    for (AccessedResource resource : data) {
      Decision decision = resource.decision();
      if (decision == null || decision.emergencyGrants().isEmpty()) {
        continue;
      }
      EmergencyGrant grant = patient != null ? decision.emergencyGrantOf(patient) : decision.emergencyGrants().get(0);
      if (grant != null) {
        return grant;
      }
    }
    return null;
  }

  /** Roles, purpose of use (of this event) and the token's jti of the requesting agent. */
  private static void callerDetails(AuditEventAgentComponent agent, Caller caller, PurposeOfUse purpose) {
    for (Role role : caller.roles()) {
      agent.addRole(new CodeableConcept(new Coding(CUSTODIAN_ROLE, roleCode(role), null)));
    }
    agent.addPurposeOfUse(purpose(purpose));
    agent.addPolicy(JTI_PREFIX + caller.tokenId());
  }

  private static Coding userParticipation(RestInteraction interaction) {
    switch (interaction) {
      case CREATE:
      case UPDATE:
      case PATCH:
        return new Coding(PARTICIPATION_TYPE, "AUT", "author (originator)");
      case DELETE:
        return new Coding(PARTICIPATION_TYPE, "CST", "custodian");
      default:
        return new Coding(PARTICIPATION_TYPE, "IRCP", "information recipient");
    }
  }

  private static void dataEntity(AuditEvent event, AccessedResource resource) {
    AuditEventEntityComponent entity = event.addEntity()
        .setWhat(new Reference(resource.reference()))
        .setType(new Coding(AUDIT_ENTITY_TYPE, ENTITY_SYSTEM_OBJECT, "System Object"))
        .setRole(new Coding(OBJECT_ROLE, ROLE_DOMAIN_RESOURCE, "Domain Resource"));
    if (resource.version() != null) {
      entity.addDetail().setType(DETAIL_VERSION).setValue(new StringType(resource.version()));
    }
    Decision decision = resource.decision();
    if (decision != null) {
      entity.addDetail().setType(DETAIL_DECISION).setValue(new StringType(decision.effect().name()));
      entity.addDetail().setType(DETAIL_BASIS).setValue(new StringType(decision.basis().name()));
      entity.addDetail().setType(DETAIL_REASON).setValue(new StringType(decision.reason()));
      if (decision.effect() == Effect.PERMIT_PROJECTED) {
        entity.addSecurityLabel(new Coding(OBSERVATION_VALUE, "SUBSETTED", "subsetted"));
      }
    }
  }

  /** One entity per Consent that decided an access of this event, its basis in the description. */
  private static void consentEntities(AuditEvent event, List<AccessedResource> data) {
    Map<String, Decision> consents = new LinkedHashMap<>();
    for (AccessedResource resource : data) {
      Decision decision = resource.decision();
      if (decision != null && decision.consentRef() != null) {
        consents.putIfAbsent(decision.consentRef(), decision);
      }
    }
    consents.forEach((consent, decision) -> event.addEntity()
        .setWhat(new Reference(consent))
        .setType(new Coding(RESOURCE_TYPES, "Consent", "Consent"))
        .setDescription(decision.effect() + " on basis " + decision.basis() + ": " + decision.reason()));
  }

  private static CodeableConcept purpose(PurposeOfUse purpose) {
    return new CodeableConcept(new Coding(PurposeOfUse.SYSTEM, purpose.code(), purpose.display()));
  }

  private static String roleCode(Role role) {
    return role.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static String roleDisplay(String dcmCode) {
    return SOURCE_ROLE_ID.equals(dcmCode) ? "Source Role ID" : "Destination Role ID";
  }
}
