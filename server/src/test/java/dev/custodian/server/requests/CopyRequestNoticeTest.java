package dev.custodian.server.requests;

import static dev.custodian.server.requests.CopyRequestTest.operation;
import static dev.custodian.server.support.Visibility.assertLooksMissing;
import static dev.custodian.server.support.Visibility.ids;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import dev.custodian.policy.resource.CopyRequests;
import dev.custodian.server.support.FhirHttp;
import dev.custodian.server.support.ServerTestBase;
import dev.custodian.server.support.TestAccounts;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The patient is told what became of her request for copies: fulfilment, extension and rejection
 * each leave a Communication about the request, written with it (all or nothing), that she — and
 * nobody but her and HIM staff — reads, and that never holds a share link's URL. A patient of its
 * own (notice-pat, treated by dr.chen, signing in as test.notice-pat), so the demo records stay as
 * they are.
 */
class CopyRequestNoticeTest extends ServerTestBase {

  static final String PATIENT = "notice-pat";
  static final String USER = "test.notice-pat";
  static final String PATIENT_SCOPES = "launch/patient patient/*.rs patient/Task.c";
  static final String NOTICE_CATEGORY = CopyRequests.CODE_SYSTEM + "|" + CopyRequests.NOTICE;

  @BeforeEach
  void patientOfItsOwn() {
    fixtures.patientTreatedByDrChen(PATIENT);
    TestAccounts.ensure(context, USER, "Patient/" + PATIENT, "PATIENT", null);
    ImagingStudy study = new ImagingStudy();
    study.setId(PATIENT + "-ct");
    study.addIdentifier().setSystem("urn:dicom:uid").setValue("urn:oid:2.25.7070701");
    study.setStatus(ImagingStudy.ImagingStudyStatus.AVAILABLE);
    study.addModality(new Coding("http://dicom.nema.org/resources/ontology/DCM", "CT", "Computed Tomography"));
    study.setSubject(new Reference("Patient/" + PATIENT));
    study.setStartedElement(new DateTimeType("2026-10-01T09:00:00Z"));
    fixtures.store(study);
  }

  private FhirHttp patient() {
    return as(USER, PATIENT_SCOPES);
  }

  private FhirHttp him() {
    return as("him.hill", CopyRequestTest.HIM_SCOPES);
  }

  private String request(String delivery) {
    FhirHttp.Response asked = operation(patient(), "Patient/" + PATIENT + "/$request-copies",
        "record", "valueReference", "ImagingStudy/" + PATIENT + "-ct", "delivery", "valueCode", delivery);
    assertThat(asked.status()).as(asked.body()).isEqualTo(200);
    return asked.resource(Task.class).getIdElement().getIdPart();
  }

  private void verify(String task) {
    FhirHttp.Response verified = operation(him(), "Task/" + task + "/$verify-identity",
        "method", "valueString", "Photo ID checked at the front desk");
    assertThat(verified.status()).as(verified.body()).isEqualTo(200);
  }

  /** The notices about {@code task} as {@code as} finds them. */
  private static List<Communication> notices(FhirHttp as, String task) {
    FhirHttp.Response found = as.get("Communication?based-on=Task/" + task + "&category=" + NOTICE_CATEGORY);
    assertThat(found.status()).as(found.body()).isEqualTo(200);
    return found.bundle().getEntry().stream().map(e -> (Communication) e.getResource()).toList();
  }

  /** Every notice about {@code task} in the database, whoever could see it. */
  private List<Communication> stored(String task) {
    return daos.getResourceDao(Communication.class)
        .search(SearchParameterMap.newSynchronous().add(Communication.SP_SUBJECT, new ReferenceParam("Patient/" + PATIENT)),
            new SystemRequestDetails())
        .getAllResources().stream().map(Communication.class::cast)
        .filter(c -> c.getAbout().stream().anyMatch(a -> ("Task/" + task).equals(a.getReference())))
        .toList();
  }

  private static String text(Communication notice) {
    return notice.getPayloadFirstRep().getContentStringType().getValue();
  }

  @Test
  void fulfilmentByLinkTellsThePatientWithoutTheLinksUrl() {
    String task = request("share-link");
    assertThat(stored(task)).as("nothing to tell yet").isEmpty();
    verify(task);
    FhirHttp.Response done = operation(him(), "Task/" + task + "/$fulfil");
    assertThat(done.status()).as(done.body()).isEqualTo(200);
    String linkId = done.resource(Task.class).getOutput().stream()
        .filter(o -> o.getType().getCodingFirstRep().getCode().equals(CopyRequestTask.SHARE_LINK_ID))
        .map(o -> o.getValue().primitiveValue()).findFirst().orElseThrow();

    List<Communication> hers = notices(patient(), task);
    assertThat(hers).hasSize(1);
    Communication notice = hers.get(0);
    assertThat(notice.getStatus()).isEqualTo(Communication.CommunicationStatus.COMPLETED);
    assertThat(notice.getSubject().getReference()).isEqualTo("Patient/" + PATIENT);
    assertThat(notice.getRecipient()).extracting(Reference::getReference).containsExactly("Patient/" + PATIENT);
    assertThat(notice.getSender().getReference()).isEqualTo("Practitioner/him.hill");
    assertThat(notice.getAbout()).extracting(Reference::getReference).containsExactly("Task/" + task);
    assertThat(notice.getBasedOn()).extracting(Reference::getReference).containsExactly("Task/" + task);
    assertThat(notice.hasSent()).isTrue();
    assertThat(text(notice)).contains("ready", linkId, "reissue").doesNotContain("/share/");
    assertThat(fhirContext.newJsonParser().encodeResourceToString(stored(task).get(0))).doesNotContain("/share/");

    // with a patient app granted only Communication, and in her list of everything
    assertThat(notices(as(USER, "launch/patient patient/Communication.rs"), task)).hasSize(1);
    assertThat(ids(patient().get("Communication?_count=200").bundle())).contains(notice.getIdElement().getIdPart());
  }

  @Test
  void mediaDeliveryExtensionAndRejectionEachTellThePatientWhyAndWhat() {
    String mailed = request("mailed-media");
    verify(mailed);
    assertThat(operation(him(), "Task/" + mailed + "/$fulfil", "note", "valueString", "CD mailed by tracked post")
        .status()).isEqualTo(200);
    assertThat(notices(patient(), mailed)).singleElement()
        .satisfies(n -> assertThat(text(n)).contains("mailed", "CD mailed by tracked post"));

    String extended = request("pickup");
    String reason = "Images are in the offsite archive and need 2 weeks to restore";
    assertThat(operation(him(), "Task/" + extended + "/$extend", "days", "valueInteger", "14",
        "reason", "valueString", reason).status()).isEqualTo(200);
    assertThat(notices(patient(), extended)).singleElement()
        .satisfies(n -> assertThat(text(n)).contains("14 days", reason));

    String rejected = request("pickup");
    String why = "The requested study was performed at another facility";
    assertThat(operation(him(), "Task/" + rejected + "/$reject", "reason", "valueString", why).status())
        .isEqualTo(200);
    assertThat(notices(patient(), rejected)).singleElement()
        .satisfies(n -> assertThat(text(n)).contains("denied", why));

    // identity verification is no news for the patient; a refused step writes no notice either
    String verifiedOnly = request("pickup");
    verify(verifiedOnly);
    assertThat(operation(him(), "Task/" + verifiedOnly + "/$extend", "days", "valueInteger", "31",
        "reason", "valueString", reason).status()).isEqualTo(400);
    assertThat(stored(verifiedOnly)).isEmpty();
  }

  @Test
  void stepsRacingOnOneRequestLeaveExactlyOneNotice() throws Exception {
    String task = request("pickup");
    FhirHttp him = him();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Integer> statuses = new ArrayList<>();
    try {
      List<Future<Integer>> answers = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        int days = 5 + i;
        answers.add(pool.submit(() -> operation(him, "Task/" + task + "/$extend", "days", "valueInteger",
            String.valueOf(days), "reason", "valueString", "Archive retrieval, attempt " + days).status()));
      }
      for (Future<Integer> answer : answers) {
        statuses.add(answer.get());
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(statuses).containsOnlyOnce(200).allMatch(s -> s == 200 || s == 409 || s == 422);
    // a loser that wrote its notice before its stale update failed left nothing behind
    assertThat(stored(task)).hasSize(1);
  }

  @Test
  void nobodyElseReadsTheNoticesOnAnyPath() {
    String task = request("pickup");
    assertThat(operation(him(), "Task/" + task + "/$reject", "reason", "valueString",
        "The requested study was performed at another facility").status()).isEqualTo(200);
    String notice = notices(patient(), task).get(0).getIdElement().getIdPart();

    FhirHttp bruno = asPatient("bruno");
    FhirHttp chen = as("dr.chen", "openid fhirUser user/*.cruds"); // treats notice-pat, yet no notices
    FhirHttp auditor = as("audit.gray", "openid fhirUser user/*.rs");
    for (FhirHttp other : List.of(bruno, chen, auditor)) {
      assertLooksMissing(other, "Communication/" + notice, "Communication/no-such-notice");
      for (String search : List.of("Communication?_count=200", "Communication?based-on=Task/" + task,
          "Communication?_id=" + notice, "Communication?category=" + NOTICE_CATEGORY,
          "Task?_id=" + task + "&_revinclude=Communication:based-on",
          "Task?_revinclude=Communication:based-on&_count=200",
          "Communication?_id=" + notice + "&_include=Communication:based-on")) {
        FhirHttp.Response answer = other.get(search);
        assertThat(answer.status()).as(search + " " + answer).isIn(200, 403);
        if (answer.status() == 200) {
          Bundle bundle = answer.bundle();
          assertThat(ids(bundle)).as(search).doesNotContain(notice, task);
          assertThat(bundle.hasTotal() && bundle.getTotal() > 0 && bundle.getEntry().isEmpty()).as(search).isFalse();
        }
        assertThat(answer.body()).as(search).doesNotContain("\"id\":\"" + notice + "\"", "another facility");
      }
    }

    // a patient app without a scope for Communication does not see them either
    FhirHttp taskOnly = as(USER, "launch/patient patient/Task.rs");
    assertThat(taskOnly.get("Communication/" + notice).status()).isIn(403, 404);
    FhirHttp.Response ownTask = taskOnly.get("Task?_id=" + task + "&_revinclude=Communication:based-on");
    assertThat(ids(ownTask.bundle())).as("her request, not the notice").containsExactly(task);

    // and nobody writes a notice through the API, not even the patient it is for
    Communication forged = new Communication();
    forged.setStatus(Communication.CommunicationStatus.COMPLETED);
    forged.addCategory(new CodeableConcept(new Coding(CopyRequests.CODE_SYSTEM, CopyRequests.NOTICE, null)));
    forged.setSubject(new Reference("Patient/" + PATIENT));
    forged.addAbout(new Reference("Task/" + task));
    forged.addPayload().setContent(new org.hl7.fhir.r4.model.StringType("Your copies are ready"));
    assertThat(as(USER, "launch/patient patient/*.cruds").create(forged).status()).isIn(403, 404);
    assertThat(him().create(forged).status()).isIn(403, 404);
    assertThat(stored(task)).hasSize(1);
  }
}
