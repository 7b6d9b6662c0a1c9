package dev.custodian.audit.chain;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import dev.custodian.audit.AccessRecord;
import dev.custodian.audit.AccessedResource;
import dev.custodian.audit.BalpEventBuilder;
import dev.custodian.audit.RestInteraction;
import dev.custodian.audit.ServerIdentity;
import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.caller.PurposeOfUse;
import dev.custodian.policy.caller.Role;
import dev.custodian.policy.decision.Basis;
import dev.custodian.policy.decision.Decision;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.Base64BinaryType;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;

/**
 * The direct writer must give exactly HAPI's bytes, or every chain it hashed would fail verification:
 * compared here over the events Custodian builds and over thousands of random events, and for what it
 * does not cover, that it hands over to HAPI.
 */
class DirectEventJsonTest {

  /** The encoder the canonical form is defined by (see {@link CanonicalForm}). */
  static final IParser HAPI = FhirContext.forR4Cached().newJsonParser().setPrettyPrint(false)
      .setOmitResourceId(true).setStripVersionsFromReferences(false);

  /** Strings that trip encoders: escapes, control characters, non-ASCII, blanks. */
  static final List<String> AWKWARD = List.of("", " ", "  \t", "plain", "with \"quotes\" and \\ backslash",
      "line\nbreak\r\ttab", "\u0000\u0001\u001f\u007f", "Zoë Ünal — ✓ 患者 𝄞", "</script>", "'single'",
      "trailing space ", " leading", "http://example.org/fhir/Patient/1/_history/2", "urn:uuid:0b9f",
      "a/b", "Patient/alice", "\u2028\u2029", "{\"json\":1}", "1.5e10", "true");

  final Random random = new Random(20261126);

  @Test
  void events_custodian_builds_are_written_as_hapi_writes_them() {
    BalpEventBuilder builder = new BalpEventBuilder(
        new ServerIdentity("Device/custodian", "custodian.example.org", "https://custodian.example.org/fhir"));
    Caller chen = Caller.builder().fhirUser("Practitioner/chen").clientId("ehr-app").roles(Role.CLINICIAN)
        .purpose(PurposeOfUse.TREAT).tokenId("jti-1").build();
    List<AccessRecord> records = List.of(
        AccessRecord.builder().recorded(Instant.parse("2026-11-26T10:00:00.120Z")).interaction(RestInteraction.READ)
            .caller(chen).requestId("r1").requestUrl("https://custodian.example.org/fhir/ImagingStudy/s1")
            .clientAddress("10.0.0.7")
            .resource(AccessedResource.of("ImagingStudy/s1", Decision.permit(Basis.TREATMENT, "treats"), "Patient/p1"))
            .build(),
        AccessRecord.builder().recorded(Instant.parse("2026-11-26T10:00:01Z")).interaction(RestInteraction.SEARCH_TYPE)
            .caller(chen).requestId("r2").requestUrl("https://custodian.example.org/fhir/ImagingStudy?patient=p1&_count=5")
            .resources(List.of(
                AccessedResource.of("ImagingStudy/s1", Decision.permit(Basis.TREATMENT, "treats"), "Patient/p1"),
                AccessedResource.of("ImagingStudy/s2", Decision.permit(Basis.TREATMENT, "treats"), "Patient/p2")))
            .build(),
        AccessRecord.builder().recorded(Instant.parse("2026-11-26T10:00:02Z")).interaction(RestInteraction.DELETE)
            .caller(chen).requestId("r3").requestUrl("https://custodian.example.org/fhir/AuditEvent/x")
            .httpStatus(403).failure("AuditEvent cannot be deleted — \"append-only\"").build());
    int events = 0;
    for (AccessRecord record : records) {
      for (AuditEvent event : builder.build(record)) {
        event.setId("0b9f6c1e-6a59-4d0b-8f0e-3c1f3f2b8a11"); // as the store prepares it
        assertThat(DirectEventJson.write(event)).as("written directly").isPresent();
        assertSameAsHapi(event);
        events++;
      }
    }
    assertThat(events).isGreaterThanOrEqualTo(4);
  }

  @Test
  void random_events_are_written_as_hapi_writes_them() {
    int direct = 0;
    for (int i = 0; i < 3_000; i++) {
      AuditEvent event = randomEvent();
      if (DirectEventJson.write(event).isPresent()) {
        direct++;
      }
      assertSameAsHapi(event);
    }
    assertThat(direct).as("random events the direct writer covers").isGreaterThan(2_500);
  }

  @Test
  void what_it_does_not_cover_goes_to_hapi() {
    List<Consumer<AuditEvent>> uncovered = List.of(
        event -> event.getType().addExtension("http://example.org/x", new StringType("x")),
        event -> event.getActionElement().setId("a1"),
        event -> event.getRecordedElement().addExtension("http://example.org/x", new BooleanType(true)),
        event -> event.getAgentFirstRep().addModifierExtension("http://example.org/m", new StringType("m")),
        event -> event.getSource().setId("s1"),
        event -> event.addContained(new Patient().setActive(true).setId("p")),
        event -> event.getAgentFirstRep().getLocation().setReference("#p"),
        event -> event.getEntityFirstRep().getWhat().setResource(new Patient().setActive(true).setId("Patient/p9")),
        event -> event.getMeta().addTag("http://example.org/t", "t", null),
        event -> event.addExtension("http://example.org/x", new StringType("x")),
        event -> event.setLanguage("en"),
        event -> event.setId("AuditEvent/e1/_history/3"),
        event -> event.getEntityFirstRep().addDetail().setType("d").getValueStringType().setId("v1"),
        event -> { // references nested deeper than the writer goes: identifier, assigner, identifier...
          Reference reference = event.getAgentFirstRep().getWho();
          for (int i = 0; i < 15; i++) {
            reference = reference.getIdentifier().setValue("v" + i).getAssigner();
          }
          reference.setDisplay("the last assigner");
        });
    for (Consumer<AuditEvent> change : uncovered) {
      AuditEvent event = randomEvent();
      event.getAgentFirstRep().setRequestor(true);
      event.getSource().setSite("site");
      event.getEntityFirstRep().getWhat().setReference("Patient/p1");
      change.accept(event);
      assertThat(DirectEventJson.write(event)).isEmpty();
      assertSameAsHapi(event);
    }
  }

  void assertSameAsHapi(AuditEvent event) {
    String hapi = HAPI.encodeResourceToString(event);
    DirectEventJson.write(event).ifPresent(direct -> assertThat(direct).isEqualTo(hapi));
    assertThat(new String(CanonicalForm.of(event), StandardCharsets.UTF_8)).isEqualTo(hapi);
  }

  AuditEvent randomEvent() {
    AuditEvent event = new AuditEvent();
    event.setId("e" + random.nextInt(1000));
    if (chance()) event.setType(coding());
    repeat(() -> event.addSubtype(coding()));
    if (chance()) event.setAction(AuditEvent.AuditEventAction.values()[random.nextInt(5)]);
    if (chance()) event.setPeriod(period());
    if (chance()) event.getRecordedElement().setValueAsString(pick("2026-11-26T10:00:00Z",
        "2026-11-26T10:00:00.123+01:00", "2026-11-26T10:00:00.1234567Z"));
    if (chance()) event.setOutcome(AuditEvent.AuditEventOutcome.values()[random.nextInt(4)]);
    if (chance()) event.setOutcomeDesc(text());
    repeat(() -> event.addPurposeOfEvent(concept()));
    repeat(() -> agent(event.addAgent()));
    if (chance()) {
      event.getSource().setSite(text()).setObserver(reference());
      repeat(() -> event.getSource().addType(coding()));
    }
    repeat(() -> entity(event.addEntity()));
    return event;
  }

  void agent(AuditEventAgentComponent agent) {
    if (chance()) agent.setType(concept());
    repeat(() -> agent.addRole(concept()));
    if (chance()) agent.setWho(reference());
    if (chance()) agent.setAltId(text());
    if (chance()) agent.setName(text());
    if (chance()) agent.setRequestor(random.nextBoolean());
    if (chance()) agent.setLocation(reference());
    repeat(() -> agent.addPolicy(text()));
    if (chance()) agent.setMedia(coding());
    if (chance()) {
      agent.getNetwork().setAddress(text());
      if (chance()) agent.getNetwork().setType(AuditEvent.AuditEventAgentNetworkType.values()[random.nextInt(5)]);
    }
    repeat(() -> agent.addPurposeOfUse(concept()));
  }

  void entity(AuditEventEntityComponent entity) {
    if (chance()) entity.setWhat(reference());
    if (chance()) entity.setType(coding());
    if (chance()) entity.setRole(coding());
    if (chance()) entity.setLifecycle(coding());
    repeat(() -> entity.addSecurityLabel(coding()));
    if (chance()) entity.setName(text());
    if (chance()) entity.setDescription(text());
    if (chance()) entity.setQuery(text().getBytes(StandardCharsets.UTF_8));
    repeat(() -> {
      AuditEvent.AuditEventEntityDetailComponent detail = entity.addDetail().setType(text());
      if (random.nextBoolean()) {
        detail.setValue(new StringType(text()));
      } else if (random.nextBoolean()) {
        detail.setValue(new Base64BinaryType(text().getBytes(StandardCharsets.UTF_8)));
      }
    });
  }

  Coding coding() {
    Coding coding = new Coding();
    if (chance()) coding.setSystem(text());
    if (chance()) coding.setVersion(text());
    if (chance()) coding.setCode(text());
    if (chance()) coding.setDisplay(text());
    if (random.nextInt(5) == 0) coding.setUserSelected(random.nextBoolean());
    return coding;
  }

  CodeableConcept concept() {
    CodeableConcept concept = new CodeableConcept();
    repeat(() -> concept.addCoding(coding()));
    if (chance()) concept.setText(text());
    return concept;
  }

  Reference reference() {
    Reference reference = new Reference();
    if (chance()) reference.setReference(pick("Patient/alice", "Practitioner/dr.chen", "ImagingStudy/s1/_history/2",
        "http://example.org/fhir/Patient/1", "urn:uuid:0b9f6c1e-6a59-4d0b-8f0e-3c1f3f2b8a11", "", " "));
    if (random.nextInt(4) == 0) reference.setType(pick("Patient", "Device", ""));
    if (chance()) {
      Identifier identifier = reference.getIdentifier().setSystem(text()).setValue(text());
      if (random.nextInt(4) == 0) identifier.setUse(Identifier.IdentifierUse.values()[random.nextInt(5)]);
      if (random.nextInt(4) == 0) identifier.setType(concept());
      if (random.nextInt(4) == 0) identifier.setPeriod(period());
      if (random.nextInt(6) == 0) identifier.setAssigner(new Reference("Organization/o1").setDisplay(text()));
    }
    if (chance()) reference.setDisplay(text());
    return reference;
  }

  Period period() {
    Period period = new Period();
    if (chance()) period.getStartElement().setValueAsString("2026-11-26T10:00:00Z");
    if (chance()) period.getEndElement().setValueAsString("2026-11-26T11:30:00.5+02:00");
    return period;
  }

  boolean chance() {
    return random.nextInt(3) > 0;
  }

  void repeat(Runnable add) {
    int times = random.nextInt(4);
    for (int i = 0; i < times; i++) {
      add.run();
    }
  }

  String text() {
    return AWKWARD.get(random.nextInt(AWKWARD.size()));
  }

  @SafeVarargs
  final <T> T pick(T... values) {
    return values[random.nextInt(values.length)];
  }
}
