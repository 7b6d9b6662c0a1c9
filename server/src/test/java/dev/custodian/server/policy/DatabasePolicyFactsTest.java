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
  @Autowired FactRecordGeneration generation;

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
  void anOrganizationCaresThroughAReferralOrACareTeam() {
    // demo: dr.chen referred alice (not bruno) to the partner hospital
    assertThat(facts.hasReferralTo("Organization/partner-hospital", "Patient/alice", now)).isTrue();
    assertThat(facts.hasReferralTo("Organization/partner-hospital", "Patient/bruno", now)).isFalse();
    assertThat(facts.hasReferralTo("Organization/health-plan", "Patient/alice", now)).isFalse();

    org.hl7.fhir.r4.model.Patient patient = new org.hl7.fhir.r4.model.Patient();
    patient.setId("facts-org-patient");
    fixtures.store(patient);
    for (String id : List.of("facts-member-org", "facts-clinic", "facts-former-org")) {
      org.hl7.fhir.r4.model.Organization organization = new org.hl7.fhir.r4.model.Organization();
      organization.setId(id);
      organization.setName(id);
      fixtures.store(organization);
    }
    org.hl7.fhir.r4.model.Practitioner doctor = new org.hl7.fhir.r4.model.Practitioner();
    doctor.setId("facts-doctor");
    fixtures.store(doctor);
    org.hl7.fhir.r4.model.ServiceRequest done = new org.hl7.fhir.r4.model.ServiceRequest();
    done.setId("facts-completed-referral");
    done.setStatus(org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestStatus.COMPLETED);
    done.setIntent(org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestIntent.ORDER);
    done.setSubject(new Reference("Patient/facts-org-patient"));
    done.addPerformer(new Reference("Organization/facts-clinic"));
    fixtures.store(done);
    assertThat(facts.hasReferralTo("Organization/facts-clinic", "Patient/facts-org-patient", now)).isFalse();

    org.hl7.fhir.r4.model.CareTeam team = new org.hl7.fhir.r4.model.CareTeam();
    team.setId("facts-org-team");
    team.setStatus(org.hl7.fhir.r4.model.CareTeam.CareTeamStatus.ACTIVE);
    team.setSubject(new Reference("Patient/facts-org-patient"));
    team.addParticipant().setMember(new Reference("Organization/facts-member-org"));
    team.addParticipant().setMember(new Reference("Practitioner/facts-doctor"))
        .setOnBehalfOf(new Reference("Organization/facts-clinic"));
    team.addParticipant().setMember(new Reference("Organization/facts-former-org"))
        .setPeriod(new Period().setEnd(Date.from(now.minus(1, ChronoUnit.DAYS))));
    fixtures.store(team);
    assertThat(facts.isCareTeamMember("Organization/facts-member-org", "Patient/facts-org-patient", now)).isTrue();
    assertThat(facts.isCareTeamMember("Organization/facts-clinic", "Patient/facts-org-patient", now)).isTrue();
    assertThat(facts.isCareTeamMember("Practitioner/facts-doctor", "Patient/facts-org-patient", now)).isTrue();
    assertThat(facts.isCareTeamMember("Organization/facts-former-org", "Patient/facts-org-patient", now)).isFalse();
    assertThat(facts.isCareTeamMember("Organization/facts-clinic", "Patient/alice", now)).isFalse();

    team.setStatus(org.hl7.fhir.r4.model.CareTeam.CareTeamStatus.INACTIVE);
    fixtures.store(team);
    assertThat(facts.isCareTeamMember("Organization/facts-clinic", "Patient/facts-org-patient", now)).isFalse();
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

  @Test
  void aRememberedAnswerGivesWayToAChangeOnTheVeryNextQuestion() {
    // asked twice with nothing changed: the same answer, and reading changes no generation
    long start = generation.current();
    assertThat(facts.isCareTeamMember("Practitioner/dr.chen", "Patient/alice", now)).isTrue();
    assertThat(facts.isCareTeamMember("Practitioner/dr.chen", "Patient/alice", now)).isTrue();
    assertThat(generation.current()).isEqualTo(start);

    // a release authorization granted, then revoked: each write is counted in the shared database,
    // and the very next question sees it
    fixtures.store(consent("facts-remembered", Consent.ConsentState.ACTIVE, "Practitioner/dr.diaz", 30));
    long granted = generation.current();
    assertThat(granted).isGreaterThan(start);
    assertThat(statusOf("Consent/facts-remembered")).isEqualTo(AuthorizationStatus.ACTIVE);
    assertThat(statusOf("Consent/facts-remembered")).isEqualTo(AuthorizationStatus.ACTIVE);
    fixtures.store(consent("facts-remembered", Consent.ConsentState.INACTIVE, "Practitioner/dr.diaz", 30));
    assertThat(generation.current()).isGreaterThan(granted);
    assertThat(statusOf("Consent/facts-remembered")).isEqualTo(AuthorizationStatus.REVOKED);

    // a care team deleted: the remembered membership is gone at once
    org.hl7.fhir.r4.model.CareTeam team = new org.hl7.fhir.r4.model.CareTeam();
    team.setId("facts-remembered-team");
    team.setStatus(org.hl7.fhir.r4.model.CareTeam.CareTeamStatus.ACTIVE);
    team.setSubject(new Reference("Patient/bruno"));
    team.addParticipant().setMember(new Reference("Practitioner/dr.diaz"));
    fixtures.store(team);
    assertThat(facts.isCareTeamMember("Practitioner/dr.diaz", "Patient/bruno", now)).isTrue();
    assertThat(facts.isCareTeamMember("Practitioner/dr.diaz", "Patient/bruno", now)).isTrue();
    daos.getResourceDao(org.hl7.fhir.r4.model.CareTeam.class).delete(
        new org.hl7.fhir.r4.model.IdType("CareTeam/facts-remembered-team"), new ca.uhn.fhir.rest.api.server.SystemRequestDetails());
    assertThat(facts.isCareTeamMember("Practitioner/dr.diaz", "Patient/bruno", now)).isFalse();

    // records the facts are not read from leave the generation alone
    long before = generation.current();
    org.hl7.fhir.r4.model.Practitioner practitioner = new org.hl7.fhir.r4.model.Practitioner();
    practitioner.setId("facts-not-a-fact");
    fixtures.store(practitioner);
    assertThat(generation.current()).isEqualTo(before);
  }

  @Test
  void aSearchOfARecordTypeWhoseChangesAreNotCountedIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new FactSearches(generation).find("Practitioner", "?_id=dr.chen", List::of))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("FactRecordGeneration.TYPES");
  }

  private AuthorizationStatus statusOf(String consent) {
    return facts.releaseAuthorizations("Practitioner/dr.diaz", "Patient/alice").stream()
        .filter(a -> a.consentId().equals(consent)).findFirst().orElseThrow().status();
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
