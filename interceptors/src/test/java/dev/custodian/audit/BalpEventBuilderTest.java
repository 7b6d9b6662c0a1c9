package dev.custodian.audit;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.caller.PurposeOfUse;
import dev.custodian.policy.caller.Role;
import dev.custodian.policy.decision.Basis;
import dev.custodian.policy.decision.Decision;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;

class BalpEventBuilderTest {

  static final Instant NOW = Instant.parse("2026-11-25T10:15:30.123Z");
  static final ServerIdentity SERVER =
      new ServerIdentity("Device/custodian", "custodian.example.org", "https://custodian.example.org/fhir");
  static final BalpEventBuilder BUILDER = new BalpEventBuilder(SERVER);

  static final Caller CHEN = Caller.builder()
      .fhirUser("Practitioner/chen").clientId("ehr-app").roles(Role.CLINICIAN)
      .purpose(PurposeOfUse.TREAT).tokenId("jti-chen-1").build();

  static final Decision TREATS = Decision.permit(Basis.TREATMENT, "care relationship with Patient/alice");

  static AccessRecord.Builder access(RestInteraction interaction, Caller caller) {
    return AccessRecord.builder()
        .recorded(NOW).interaction(interaction).caller(caller)
        .requestId("req-42").requestUrl("https://custodian.example.org/fhir/ImagingStudy/s1")
        .clientAddress("192.0.2.7");
  }

  @Test
  void read_has_balp_shape() {
    AuditEvent event = single(BUILDER.build(access(RestInteraction.READ, CHEN)
        .requestedReference("ImagingStudy/s1")
        .resource(AccessedResource.of("ImagingStudy/s1", TREATS, "Patient/alice"))
        .build()));

    assertThat(event.getType().getSystem()).isEqualTo("http://terminology.hl7.org/CodeSystem/audit-event-type");
    assertThat(event.getType().getCode()).isEqualTo("rest");
    assertThat(event.getSubtype()).extracting(Coding::getSystem, Coding::getCode)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("http://hl7.org/fhir/restful-interaction", "read"));
    assertThat(event.getAction()).isEqualTo(AuditEventAction.R);
    assertThat(event.getRecorded().toInstant()).isEqualTo(NOW);
    assertThat(event.getOutcome()).isEqualTo(AuditEventOutcome._0);
    assertThat(event.hasOutcomeDesc()).isFalse();
    assertThat(event.getPurposeOfEventFirstRep().getCodingFirstRep().getCode()).isEqualTo("TREAT");

    AuditEventAgentComponent user = agentWho(event, "Practitioner/chen");
    assertThat(codes(user.getType().getCoding())).containsExactlyInAnyOrder("IRCP", "UserOauthAgent");
    assertThat(user.getRequestor()).isTrue();
    assertThat(user.getPolicy()).extracting(p -> p.getValue()).containsExactly("urn:ietf:params:oauth:jti:jti-chen-1");
    assertThat(user.getPurposeOfUseFirstRep().getCodingFirstRep().getSystem())
        .isEqualTo("http://terminology.hl7.org/CodeSystem/v3-ActReason");
    assertThat(user.getPurposeOfUseFirstRep().getCodingFirstRep().getCode()).isEqualTo("TREAT");
    assertThat(user.getRoleFirstRep().getCodingFirstRep().getCode()).isEqualTo("clinician");

    AuditEventAgentComponent client = clientAgent(event);
    assertThat(client.getWho().getIdentifier().getSystem()).isEqualTo(AuditCodes.CLIENT_ID_SYSTEM);
    assertThat(client.getType().getCodingFirstRep().getCode()).isEqualTo("110152"); // data flows to the client
    assertThat(client.getRequestor()).isFalse();
    assertThat(client.getNetwork().getAddress()).isEqualTo("192.0.2.7");

    AuditEventAgentComponent server = agentWho(event, "Device/custodian");
    assertThat(server.getType().getCodingFirstRep().getCode()).isEqualTo("110153");
    assertThat(server.getRequestor()).isFalse();
    assertThat(server.getNetwork().getAddress()).isEqualTo("https://custodian.example.org/fhir");

    assertThat(event.getSource().getObserver().getReference()).isEqualTo("Device/custodian");
    assertThat(event.getSource().getSite()).isEqualTo("custodian.example.org");
    assertThat(event.getSource().getTypeFirstRep().getCode()).isEqualTo("4");

    AuditEventEntityComponent patient = entityWhat(event, "Patient/alice");
    assertThat(patient.getType().getCode()).isEqualTo("1");
    assertThat(patient.getRole().getCode()).isEqualTo("1");
    AuditEventEntityComponent data = entityWhat(event, "ImagingStudy/s1");
    assertThat(data.getType().getCode()).isEqualTo("2");
    assertThat(data.getRole().getCode()).isEqualTo("4");
    assertThat(detail(data, "decision")).isEqualTo("PERMIT");
    assertThat(detail(data, "basis")).isEqualTo("TREATMENT");
    assertThat(requestIdEntity(event).getWhat().getIdentifier().getValue()).isEqualTo("req-42");
    assertThat(queryEntities(event)).isEmpty();
    assertThat(event.getEntity()).hasSize(3);
  }

  @Test
  void search_returning_two_patients_gives_one_event_each_with_the_query() {
    String url = "https://custodian.example.org/fhir/ImagingStudy?modality=CT&_include=ImagingStudy:subject";
    List<AuditEvent> events = BUILDER.build(access(RestInteraction.SEARCH_TYPE, CHEN)
        .requestUrl(url)
        .resource(AccessedResource.of("ImagingStudy/a1", TREATS, "Patient/alice"))
        .resource(AccessedResource.of("Patient/alice", TREATS, "Patient/alice"))
        .resource(AccessedResource.of("ImagingStudy/b1", TREATS, "Patient/bruno"))
        .resource(AccessedResource.of("ImagingStudy/c1", Decision.deny("no relationship"), "Patient/carol"))
        .build());

    assertThat(events).hasSize(2);
    assertThat(events).extracting(e -> patientOf(e)).containsExactly("Patient/alice", "Patient/bruno");
    for (AuditEvent event : events) {
      assertThat(event.getSubtypeFirstRep().getCode()).isEqualTo("search-type");
      assertThat(event.getAction()).isEqualTo(AuditEventAction.E);
      assertThat(event.getOutcome()).isEqualTo(AuditEventOutcome._0);
      assertThat(clientAgent(event).getType().getCodingFirstRep().getCode()).isEqualTo("110153");
      List<AuditEventEntityComponent> query = queryEntities(event);
      assertThat(query).hasSize(1);
      assertThat(query.get(0).getType().getCode()).isEqualTo("2");
      assertThat(new String(query.get(0).getQuery(), StandardCharsets.UTF_8)).isEqualTo(url);
      assertThat(requestIdEntity(event).getWhat().getIdentifier().getValue()).isEqualTo("req-42");
      assertThat(whats(event)).doesNotContain("ImagingStudy/c1", "Patient/carol");
    }
    assertThat(whats(events.get(0))).contains("ImagingStudy/a1", "Patient/alice").doesNotContain("ImagingStudy/b1");
    assertThat(whats(events.get(1))).contains("ImagingStudy/b1", "Patient/bruno").doesNotContain("ImagingStudy/a1");

    // the query goes over the wire base64-encoded
    String json = FhirContext.forR4Cached().newJsonParser().encodeResourceToString(events.get(0));
    assertThat(json).contains(java.util.Base64.getEncoder().encodeToString(url.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void search_with_no_results_gives_one_event_without_patient() {
    List<AuditEvent> events = BUILDER.build(access(RestInteraction.SEARCH_TYPE, CHEN).build());
    assertThat(events).hasSize(1);
    assertThat(patientOf(events.get(0))).isNull();
    assertThat(queryEntities(events.get(0))).hasSize(1);
  }

  @Test
  void create_is_authored_by_the_user() {
    AuditEvent event = single(BUILDER.build(access(RestInteraction.CREATE, CHEN)
        .httpStatus(201)
        .resource(AccessedResource.of("DiagnosticReport/r9", Decision.permit(Basis.TREATMENT, "author"), "Patient/alice")
            .withVersion("1"))
        .build()));
    assertThat(event.getAction()).isEqualTo(AuditEventAction.C);
    assertThat(event.getSubtypeFirstRep().getCode()).isEqualTo("create");
    assertThat(event.getOutcome()).isEqualTo(AuditEventOutcome._0);
    assertThat(codes(agentWho(event, "Practitioner/chen").getType().getCoding())).contains("AUT");
    assertThat(clientAgent(event).getType().getCodingFirstRep().getCode()).isEqualTo("110153");
    assertThat(detail(entityWhat(event, "DiagnosticReport/r9"), "version")).isEqualTo("1");
    assertThat(entityWhat(event, "Patient/alice").getRole().getCode()).isEqualTo("1");
  }

  @Test
  void denied_read_is_a_minor_failure_naming_the_reason() {
    AuditEvent event = single(BUILDER.build(access(RestInteraction.READ, CHEN)
        .httpStatus(404)
        .requestedReference("ImagingStudy/c1")
        .resource(AccessedResource.of("ImagingStudy/c1", Decision.deny("no care relationship"), "Patient/carol"))
        .build()));
    assertThat(event.getOutcome()).isEqualTo(AuditEventOutcome._4);
    assertThat(event.getOutcomeDesc()).isEqualTo("denied: no care relationship");
    assertThat(detail(entityWhat(event, "ImagingStudy/c1"), "decision")).isEqualTo("DENY");
    assertThat(patientOf(event)).isEqualTo("Patient/carol");
  }

  @Test
  void read_of_a_missing_id_records_the_requested_reference() {
    AuditEvent event = single(BUILDER.build(access(RestInteraction.READ, CHEN)
        .httpStatus(404).requestedReference("ImagingStudy/nope").failure("ImagingStudy/nope is not known").build()));
    assertThat(event.getOutcome()).isEqualTo(AuditEventOutcome._4);
    assertThat(event.getOutcomeDesc()).isEqualTo("ImagingStudy/nope is not known");
    assertThat(whats(event)).contains("ImagingStudy/nope");
  }

  @Test
  void server_error_is_a_serious_failure() {
    AuditEvent event = single(BUILDER.build(access(RestInteraction.READ, CHEN).httpStatus(503).build()));
    assertThat(event.getOutcome()).isEqualTo(AuditEventOutcome._8);
    assertThat(event.getOutcomeDesc()).isEqualTo("HTTP 503");
  }

  @Test
  void break_the_glass_is_labelled_with_its_reason_and_flagged() {
    Caller emergency = Caller.builder()
        .fhirUser("Practitioner/ortiz").clientId("ehr-app").roles(Role.CLINICIAN)
        .purpose(PurposeOfUse.ETREAT).breakGlassReason("unconscious patient in the ER, no relationship")
        .tokenId("jti-btg").build();
    AuditEvent event = single(BUILDER.build(access(RestInteraction.READ, emergency)
        .resource(AccessedResource.of("ImagingStudy/s1",
            Decision.permit(Basis.EMERGENCY, "break-the-glass").flagged(), "Patient/alice"))
        .build()));
    assertThat(event.getMeta().getSecurity()).extracting(Coding::getSystem, Coding::getCode)
        .contains(org.assertj.core.groups.Tuple.tuple("http://terminology.hl7.org/CodeSystem/v3-ActReason", "BTG"));
    assertThat(((StringType) event.getExtensionByUrl(AuditCodes.EXT_BREAK_GLASS_REASON).getValue()).getValue())
        .isEqualTo("unconscious patient in the ER, no relationship");
    assertThat(((BooleanType) event.getExtensionByUrl(AuditCodes.EXT_FLAGGED_FOR_REVIEW).getValue()).booleanValue())
        .isTrue();
    assertThat(event.getPurposeOfEventFirstRep().getCodingFirstRep().getCode()).isEqualTo("ETREAT");
    assertThat(agentWho(event, "Practitioner/ortiz").getPurposeOfUseFirstRep().getCodingFirstRep().getCode())
        .isEqualTo("ETREAT");
  }

  @Test
  void access_under_a_break_the_glass_grant_records_the_grants_purpose_and_reason_per_patient() {
    dev.custodian.policy.facts.EmergencyGrant grant = new dev.custodian.policy.facts.EmergencyGrant(
        "g-1", "Practitioner/chen", "Patient/bruno", PurposeOfUse.BTG, "trauma bay, no records on file",
        NOW.minusSeconds(60), NOW.plusSeconds(3540));
    List<AuditEvent> events = BUILDER.build(access(RestInteraction.SEARCH_TYPE, CHEN)
        .resource(AccessedResource.of("ImagingStudy/s1", TREATS, "Patient/alice"))
        .resource(AccessedResource.of("ImagingStudy/s2", Decision.emergency(List.of(grant), "break-the-glass"),
            "Patient/bruno"))
        .build());

    AuditEvent alice = events.stream().filter(e -> "Patient/alice".equals(patientOf(e))).findFirst().orElseThrow();
    AuditEvent bruno = events.stream().filter(e -> "Patient/bruno".equals(patientOf(e))).findFirst().orElseThrow();
    assertThat(alice.getExtension()).isEmpty();
    assertThat(alice.getPurposeOfEventFirstRep().getCodingFirstRep().getCode()).isEqualTo("TREAT");
    assertThat(bruno.getMeta().getSecurity()).extracting(Coding::getCode).contains("BTG");
    assertThat(((StringType) bruno.getExtensionByUrl(AuditCodes.EXT_BREAK_GLASS_REASON).getValue()).getValue())
        .isEqualTo("trauma bay, no records on file");
    assertThat(bruno.getExtensionByUrl(AuditCodes.EXT_FLAGGED_FOR_REVIEW)).isNotNull();
    assertThat(bruno.getPurposeOfEventFirstRep().getCodingFirstRep().getCode()).isEqualTo("BTG");
    assertThat(agentWho(bruno, "Practitioner/chen").getPurposeOfUseFirstRep().getCodingFirstRep().getCode())
        .isEqualTo("BTG");
  }

  @Test
  void ordinary_access_carries_no_break_the_glass_marks() {
    AuditEvent event = single(BUILDER.build(access(RestInteraction.READ, CHEN)
        .resource(AccessedResource.of("ImagingStudy/s1", TREATS, "Patient/alice")).build()));
    assertThat(event.getMeta().getSecurity()).isEmpty();
    assertThat(event.getExtension()).isEmpty();
  }

  @Test
  void the_consent_that_decided_is_an_entity_with_its_basis() {
    Caller attorney = Caller.builder()
        .fhirUser("Person/lee").clientId("records-portal").roles(Role.THIRD_PARTY)
        .purpose(PurposeOfUse.PATRQT).tokenId("jti-lee").build();
    AuditEvent event = single(BUILDER.build(access(RestInteraction.READ, attorney)
        .resource(AccessedResource.of("DiagnosticReport/r1",
            Decision.permit(Basis.AUTHORIZATION, "release authorization covers it").withConsent("Consent/rel-1"),
            "Patient/alice"))
        .build()));
    AuditEventEntityComponent consent = entityWhat(event, "Consent/rel-1");
    assertThat(consent.getType().getSystem()).isEqualTo("http://hl7.org/fhir/resource-types");
    assertThat(consent.getType().getCode()).isEqualTo("Consent");
    assertThat(consent.getDescription()).contains("AUTHORIZATION").contains("release authorization covers it");
    assertThat(event.getEntity()).hasSize(4);
  }

  @Test
  void no_consent_entity_without_a_consent() {
    AuditEvent event = single(BUILDER.build(access(RestInteraction.READ, CHEN)
        .resource(AccessedResource.of("ImagingStudy/s1", TREATS, "Patient/alice")).build()));
    assertThat(event.getEntity()).noneMatch(e -> "Consent".equals(e.getType().getCode()));
  }

  @Test
  void a_system_client_is_the_requestor_and_carries_the_token_id() {
    Caller backend = Caller.builder()
        .clientId("other-hospital").roles(Role.SYSTEM).organization("Organization/other")
        .purpose(PurposeOfUse.TREAT).tokenId("jti-sys").build();
    AuditEvent event = single(BUILDER.build(access(RestInteraction.READ, backend)
        .resource(AccessedResource.of("ImagingStudy/s1", TREATS, "Patient/alice")).build()));
    assertThat(event.getAgent()).hasSize(2);
    AuditEventAgentComponent client = clientAgent(event);
    assertThat(client.getRequestor()).isTrue();
    assertThat(client.getPolicy()).extracting(p -> p.getValue()).containsExactly("urn:ietf:params:oauth:jti:jti-sys");
    assertThat(client.getRoleFirstRep().getCodingFirstRep().getCode()).isEqualTo("system");
  }

  @Test
  void an_unauthenticated_request_is_recorded_without_user() {
    AuditEvent event = single(BUILDER.build(access(RestInteraction.READ, null).httpStatus(401).build()));
    assertThat(event.getOutcome()).isEqualTo(AuditEventOutcome._4);
    assertThat(event.getAgent()).hasSize(2);
    assertThat(clientAgent(event).getRequestor()).isTrue();
    assertThat(clientAgent(event).getWho().getDisplay()).isEqualTo("unauthenticated client");
    assertThat(event.getPurposeOfEvent()).isEmpty();
  }

  @Test
  void projected_data_is_labelled_subsetted() {
    Caller payer = Caller.builder()
        .fhirUser("Practitioner/pay").clientId("claims-app").roles(Role.HEALTH_PLAN)
        .organization("Organization/acme-health").purpose(PurposeOfUse.HPAYMT).tokenId("jti-pay").build();
    var projection = new dev.custodian.policy.minimum.Projection(PurposeOfUse.HPAYMT,
        dev.custodian.policy.minimum.ElementSet.of("DiagnosticReport", Set.of("status", "code", "subject")));
    AuditEvent event = single(BUILDER.build(access(RestInteraction.READ, payer)
        .resource(AccessedResource.of("DiagnosticReport/r1",
            Decision.permitProjected(Basis.PAYMENT, projection, "payment: minimum necessary"), "Patient/alice"))
        .build()));
    AuditEventEntityComponent data = entityWhat(event, "DiagnosticReport/r1");
    assertThat(detail(data, "decision")).isEqualTo("PERMIT_PROJECTED");
    assertThat(data.getSecurityLabel()).extracting(Coding::getCode).containsExactly("SUBSETTED");
    assertThat(event.getPurposeOfEventFirstRep().getCodingFirstRep().getCode()).isEqualTo("HPAYMT");
  }

  @Test
  void events_survive_a_json_round_trip() {
    AuditEvent event = single(BUILDER.build(access(RestInteraction.READ, CHEN)
        .resource(AccessedResource.of("ImagingStudy/s1", TREATS, "Patient/alice")).build()));
    var parser = FhirContext.forR4Cached().newJsonParser();
    AuditEvent back = parser.parseResource(AuditEvent.class, parser.encodeResourceToString(event));
    assertThat(back.equalsDeep(event)).isTrue();
  }

  // helpers

  static AuditEvent single(List<AuditEvent> events) {
    assertThat(events).hasSize(1);
    return events.get(0);
  }

  static Set<String> codes(List<Coding> codings) {
    return codings.stream().map(Coding::getCode).collect(Collectors.toSet());
  }

  static AuditEventAgentComponent agentWho(AuditEvent event, String reference) {
    return event.getAgent().stream()
        .filter(a -> reference.equals(a.getWho().getReference()))
        .findFirst().orElseThrow(() -> new AssertionError("no agent " + reference));
  }

  static AuditEventAgentComponent clientAgent(AuditEvent event) {
    return event.getAgent().stream()
        .filter(a -> a.getWho().hasIdentifier() || a.getWho().hasDisplay())
        .findFirst().orElseThrow(() -> new AssertionError("no client agent"));
  }

  static AuditEventEntityComponent entityWhat(AuditEvent event, String reference) {
    return event.getEntity().stream()
        .filter(e -> reference.equals(e.getWhat().getReference()))
        .findFirst().orElseThrow(() -> new AssertionError("no entity " + reference));
  }

  static List<String> whats(AuditEvent event) {
    return event.getEntity().stream().map(e -> e.getWhat().getReference()).filter(r -> r != null).toList();
  }

  static String patientOf(AuditEvent event) {
    return event.getEntity().stream()
        .filter(e -> "1".equals(e.getRole().getCode()) && AuditCodes.OBJECT_ROLE.equals(e.getRole().getSystem()))
        .map(e -> e.getWhat().getReference()).findFirst().orElse(null);
  }

  static List<AuditEventEntityComponent> queryEntities(AuditEvent event) {
    return event.getEntity().stream().filter(e -> "24".equals(e.getRole().getCode())).toList();
  }

  static AuditEventEntityComponent requestIdEntity(AuditEvent event) {
    return event.getEntity().stream()
        .filter(e -> AuditCodes.BALP_ENTITY_TYPE.equals(e.getType().getSystem())
            && "XrequestId".equals(e.getType().getCode()))
        .findFirst().orElseThrow(() -> new AssertionError("no X-Request-Id entity"));
  }

  static String detail(AuditEventEntityComponent entity, String type) {
    return entity.getDetail().stream().filter(d -> type.equals(d.getType()))
        .map(d -> ((StringType) d.getValue()).getValue()).findFirst().orElse(null);
  }
}
