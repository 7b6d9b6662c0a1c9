package dev.custodian.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.caller.PurposeOfUse;
import dev.custodian.policy.caller.Role;
import dev.custodian.policy.decision.Action;
import dev.custodian.policy.decision.Basis;
import dev.custodian.policy.decision.Decision;
import dev.custodian.policy.decision.Effect;
import dev.custodian.policy.facts.InMemoryPolicyFacts;
import dev.custodian.policy.minimum.MinimumNecessary;
import dev.custodian.policy.resource.CopyRequests;
import dev.custodian.policy.resource.ReviewQueue;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;

/** Requests for copies: who sees them, and what HIM staff may read to fulfil one. */
class CopyRequestPolicyTest {

  private final InMemoryPolicyFacts facts = new InMemoryPolicyFacts()
      .careTeamMember("Practitioner/dr.chen", "Patient/alice", null, null)
      .requestedCopy("ImagingStudy/alice-ct-chest", "Patient/alice");
  private final AccessPolicy policy = new AccessPolicy(facts, MinimumNecessary.loadDefault(),
      PolicySettings.defaults(), Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC));

  private final Caller alice = patient("alice");
  private final Caller bruno = patient("bruno");
  private final Caller him = staff("Practitioner/him.hill", Role.HIM, "user/Task.rs user/ImagingStudy.rs");
  private final Caller chen = Caller.builder().fhirUser("Practitioner/dr.chen").clientId("ehr").roles(Role.CLINICIAN)
      .scopes("user/*.cruds").purpose(PurposeOfUse.TREAT).tokenId("t-chen").build();
  private final Caller auditor = staff("Practitioner/aud.ike", Role.AUDITOR, "user/*.rs");

  @Test
  void thePatientAndHimStaffReadARequestNobodyElseDoes() {
    Task request = copyRequest("Patient/alice");
    assertThat(policy.decide(alice, Action.READ, request).basis()).isEqualTo(Basis.RIGHT_OF_ACCESS);
    assertThat(policy.decide(him, Action.SEARCH, request).effect()).isEqualTo(Effect.PERMIT);
    assertThat(policy.decide(bruno, Action.READ, request).isPermitted()).isFalse();
    assertThat(policy.decide(chen, Action.READ, request).isPermitted()).as("a treating clinician").isFalse();
    assertThat(policy.decide(auditor, Action.READ, request).isPermitted()).isFalse();
  }

  @Test
  void aNoticeAboutARequestIsThePatientsAndHimStaffsAndNobodyWritesIt() {
    Communication notice = notice("Patient/alice");
    Caller aliceApp = Caller.builder().fhirUser("Patient/alice").clientId("patient-app").roles(Role.PATIENT)
        .scopes("launch/patient patient/Communication.rs").launchPatient("alice").purpose(PurposeOfUse.PATRQT)
        .tokenId("t-alice-comm").build();
    assertThat(policy.decide(aliceApp, Action.READ, notice).basis()).isEqualTo(Basis.RIGHT_OF_ACCESS);
    assertThat(policy.decide(alice, Action.SEARCH, notice).isPermitted()).isTrue();
    assertThat(policy.decide(him, Action.READ, notice).isPermitted()).as("no scope for Communication").isFalse();
    assertThat(policy.decide(staff("Practitioner/him.hill", Role.HIM, "user/Communication.rs"), Action.READ, notice)
        .isPermitted()).isTrue();
    assertThat(policy.decide(bruno, Action.READ, notice).isPermitted()).isFalse();
    assertThat(policy.decide(chen, Action.READ, notice).isPermitted()).as("a treating clinician").isFalse();
    assertThat(policy.decide(auditor, Action.READ, notice).isPermitted()).isFalse();
    Caller withoutScope = Caller.builder().fhirUser("Patient/alice").clientId("patient-app").roles(Role.PATIENT)
        .scopes("launch/patient patient/Task.rs").launchPatient("alice").purpose(PurposeOfUse.PATRQT)
        .tokenId("t-alice-task").build();
    assertThat(policy.decide(withoutScope, Action.READ, notice).isPermitted()).isFalse();
    for (Caller caller : new Caller[] {alice, him, chen}) {
      for (Action write : new Action[] {Action.CREATE, Action.UPDATE, Action.DELETE}) {
        assertThat(policy.decide(caller, write, notice).isPermitted()).as(caller.fhirUser() + " " + write).isFalse();
      }
    }
    // a Communication without the notice category is an ordinary record of the patient's
    Communication other = notice("Patient/alice");
    other.getCategory().clear();
    assertThat(policy.decide(chen, Action.READ, other).isPermitted()).isTrue();
  }

  @Test
  void nobodyWritesARequestThroughTheApi() {
    Task request = copyRequest("Patient/alice");
    for (Caller caller : new Caller[] {alice, him, chen}) {
      for (Action write : new Action[] {Action.CREATE, Action.UPDATE, Action.DELETE}) {
        assertThat(policy.decide(caller, write, request).isPermitted()).as(caller.fhirUser() + " " + write).isFalse();
      }
    }
  }

  @Test
  void himStaffReadWholeOnlyTheRecordsAnOpenVerifiedRequestNames() {
    Decision named = policy.decide(him, Action.READ, study("alice-ct-chest", "alice"));
    assertThat(named.effect()).isEqualTo(Effect.PERMIT);
    assertThat(named.basis()).isEqualTo(Basis.RIGHT_OF_ACCESS);
    assertThat(policy.decide(him, Action.RETRIEVE_DICOM, study("alice-ct-chest", "alice")).effect())
        .isEqualTo(Effect.PERMIT);
    // not named: the operations minimum necessary at most, never the images
    assertThat(policy.decide(him, Action.READ, study("alice-ct-head", "alice")).effect())
        .isEqualTo(Effect.PERMIT_PROJECTED);
    assertThat(policy.decide(him, Action.RETRIEVE_DICOM, study("alice-ct-head", "alice")).isPermitted()).isFalse();
    assertThat(policy.decide(him, Action.UPDATE, study("alice-ct-chest", "alice")).isPermitted()).isFalse();
  }

  @Test
  void theReviewQueueStaysOversightEvenForThePatientItNames() {
    Task review = new Task();
    review.setId("review-1");
    review.setCode(new CodeableConcept(new Coding(ReviewQueue.CODE_SYSTEM, ReviewQueue.BREAK_THE_GLASS_REVIEW, null)));
    review.setFor(new Reference("Patient/alice"));
    assertThat(policy.decide(alice, Action.READ, review).isPermitted()).isFalse();
    assertThat(policy.decide(him, Action.READ, review).isPermitted()).isFalse();
  }

  private static Task copyRequest(String patient) {
    Task task = new Task();
    task.setId("copy-1");
    task.setCode(new CodeableConcept(new Coding(CopyRequests.CODE_SYSTEM, CopyRequests.COPY_REQUEST, null)));
    task.setFor(new Reference(patient));
    return task;
  }

  private static Communication notice(String patient) {
    Communication notice = new Communication();
    notice.setId("notice-1");
    notice.addCategory(new CodeableConcept(new Coding(CopyRequests.CODE_SYSTEM, CopyRequests.NOTICE, null)));
    notice.setSubject(new Reference(patient));
    notice.addRecipient(new Reference(patient));
    notice.addAbout(new Reference("Task/copy-1"));
    return notice;
  }

  private static ImagingStudy study(String id, String patient) {
    ImagingStudy study = new ImagingStudy();
    study.setId(id);
    study.setSubject(new Reference("Patient/" + patient));
    return study;
  }

  private static Caller patient(String id) {
    return Caller.builder().fhirUser("Patient/" + id).clientId("patient-app").roles(Role.PATIENT)
        .scopes("launch/patient patient/*.rs").launchPatient(id).purpose(PurposeOfUse.PATRQT).tokenId("t-" + id).build();
  }

  private static Caller staff(String fhirUser, Role role, String scopes) {
    return Caller.builder().fhirUser(fhirUser).clientId("console").roles(role).organization("Organization/imaging-centre")
        .scopes(scopes).purpose(PurposeOfUse.HOPERAT).tokenId("t-" + fhirUser).build();
  }
}
