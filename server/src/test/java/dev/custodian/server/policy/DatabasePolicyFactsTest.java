package dev.custodian.server.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.policy.caller.PurposeOfUse;
import dev.custodian.policy.facts.AuthorizationStatus;
import dev.custodian.policy.facts.ReleaseAuthorization;
import dev.custodian.server.support.ServerTestBase;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The policy's facts, read from the demo records and a few more in the real database. */
class DatabasePolicyFactsTest extends ServerTestBase {

  @Autowired DatabasePolicyFacts facts;

  private final Instant now = Instant.now();

  @Test
  void careRelationshipsComeFromActiveCareTeamsAndEncounters() {
    assertThat(facts.isCareTeamMember("Practitioner/dr.chen", "Patient/alice", now)).isTrue();
    assertThat(facts.isCareTeamMember("Practitioner/dr.chen", "Patient/bruno", now)).isFalse();
    assertThat(facts.isCareTeamMember("Practitioner/dr.diaz", "Patient/alice", now)).isFalse();

    Instant encounter = Instant.parse("2026-09-02T14:00:00Z");
    assertThat(facts.hasEncounterParticipation("Practitioner/dr.chen", "Patient/alice",
        encounter.minus(30, ChronoUnit.DAYS), encounter.plus(30, ChronoUnit.DAYS))).isTrue();
    assertThat(facts.hasEncounterParticipation("Practitioner/dr.chen", "Patient/alice",
        encounter.plus(60, ChronoUnit.DAYS), encounter.plus(90, ChronoUnit.DAYS))).isFalse();
    assertThat(facts.hasEncounterParticipation("Practitioner/dr.diaz", "Patient/alice",
        encounter.minus(30, ChronoUnit.DAYS), encounter.plus(30, ChronoUnit.DAYS))).isFalse();
  }

  @Test
  void thePlanPaysOnlyForThePatientsItCovers() {
    assertThat(facts.isPayor("Organization/health-plan", "Patient/alice", now)).isTrue();
    assertThat(facts.isPayor("Organization/health-plan", "Patient/bruno", now)).isFalse();
    assertThat(facts.isPayor("Organization/imaging-centre", "Patient/alice", now)).isFalse();
    assertThat(facts.isPayor("Organization/health-plan", "Patient/alice", Instant.parse("2031-06-01T00:00:00Z"))).isFalse();
  }

  @Test
  void aGuardianRepresentsButAMotherOfAnAdultDoesNot() {
    fixtures.store(relatedPerson("bruno-guardian", "GUARD"));
    fixtures.store(relatedPerson("bruno-sister", "SIS"));
    assertThat(facts.isPersonalRepresentative("RelatedPerson/bruno-guardian", "Patient/bruno", now)).isTrue();
    assertThat(facts.isPersonalRepresentative("RelatedPerson/bruno-sister", "Patient/bruno", now)).isFalse();
    assertThat(facts.isPersonalRepresentative("RelatedPerson/bruno-guardian", "Patient/alice", now)).isFalse();
  }

  @Test
  void releaseAuthorizationsAreReadFromConsents() {
    fixtures.store(consent("facts-active", Consent.ConsentState.ACTIVE, "Practitioner/dr.diaz", 30));
    fixtures.store(consent("facts-revoked", Consent.ConsentState.INACTIVE, "Practitioner/dr.diaz", 30));
    fixtures.store(consent("facts-expired", Consent.ConsentState.ACTIVE, "Practitioner/dr.diaz", -1));
    fixtures.store(consent("facts-other", Consent.ConsentState.ACTIVE, "Organization/health-plan", 30));

    List<ReleaseAuthorization> found = facts.releaseAuthorizations("Practitioner/dr.diaz", "Patient/alice");
    assertThat(found).extracting(ReleaseAuthorization::consentId)
        .contains("Consent/facts-active", "Consent/facts-revoked", "Consent/facts-expired")
        .doesNotContain("Consent/facts-other");
    ReleaseAuthorization active = found.stream().filter(a -> a.consentId().equals("Consent/facts-active")).findFirst().orElseThrow();
    assertThat(active.isInForceAt(now)).isTrue();
    assertThat(active.covers("ImagingStudy/alice-ct-chest")).isTrue();
    assertThat(active.covers("ImagingStudy/alice-ct-head")).isFalse();
    assertThat(active.purposes()).containsExactly(PurposeOfUse.HLEGAL);
    assertThat(found.stream().filter(a -> a.consentId().equals("Consent/facts-revoked")).findFirst().orElseThrow().status())
        .isEqualTo(AuthorizationStatus.REVOKED);
    assertThat(found.stream().filter(a -> a.consentId().equals("Consent/facts-expired")).findFirst().orElseThrow().isInForceAt(now))
        .isFalse();
  }

  private RelatedPerson relatedPerson(String id, String role) {
    RelatedPerson person = new RelatedPerson();
    person.setId(id);
    person.setActive(true);
    person.setPatient(new Reference("Patient/bruno"));
    person.addRelationship(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v3-RoleCode", role, role)));
    return person;
  }

  private static Consent consent(String id, Consent.ConsentState state, String recipient, int daysLeft) {
    return dev.custodian.server.support.Fixtures.releaseAuthorization(id, state, "Patient/alice", recipient, "HLEGAL",
        daysLeft, "ImagingStudy/alice-ct-chest", "DiagnosticReport/alice-ct-chest-report");
  }
}
