package dev.custodian.server.policy;

import static dev.custodian.server.support.Visibility.ids;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import dev.custodian.server.support.FhirHttp;
import dev.custodian.server.support.ServerTestBase;
import dev.custodian.server.support.TestAccounts;
import java.util.ArrayList;
import java.util.List;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.param.ReferenceParam;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/**
 * Staff searches are narrowed in the database to the patients the caller could see, so hidden
 * records never shape a page: a clinician's and a health plan's pages are full, carry no total, and
 * there are exactly as many pages as visible records — hidden studies sorted between the visible
 * ones leave no empty or short page behind. A clinician with no patients at all gets one empty page.
 */
class StaffSearchNarrowingTest extends ServerTestBase {

  @Test
  void aCliniciansPagesAreFullAndCarryNoTotal() {
    // a clinician of her own, on the active CareTeam of a patient of her own, whose three studies
    // sort around bruno's and alice's (hidden from her)
    TestAccounts.ensure(context, "test.dr-narrow", "Practitioner/test-dr-narrow", "CLINICIAN", "Organization/imaging-centre");
    Practitioner practitioner = new Practitioner();
    practitioner.setId("test-dr-narrow");
    practitioner.addName().setFamily("Narrow");
    fixtures.store(practitioner);
    Patient patient = new Patient();
    patient.setId("narrow-subject");
    patient.addName().setFamily("Narrow").addGiven("Subject");
    fixtures.store(patient);
    CareTeam team = new CareTeam();
    team.setId("narrow-subject-team");
    team.setStatus(CareTeam.CareTeamStatus.ACTIVE);
    team.setSubject(new Reference("Patient/narrow-subject"));
    team.addParticipant().setMember(new Reference("Practitioner/test-dr-narrow"));
    fixtures.store(team);
    study("narrow-study-1", "2.25.9090901", "2026-01-15T10:00:00Z");
    study("narrow-study-2", "2.25.9090902", "2026-08-01T10:00:00Z");
    study("narrow-study-3", "2.25.9090903", "2026-12-01T10:00:00Z");
    assertThat(daos.getResourceDao("ImagingStudy")
            .search(new SearchParameterMap().setLoadSynchronous(true)
                .add("patient", new ReferenceParam("Patient/bruno")), new SystemRequestDetails())
            .getAllResources())
        .as("bruno has studies, hidden from this clinician").isNotEmpty();

    FhirHttp clinician = as("test.dr-narrow", "user/*.rs");
    assertThat(walkPages(clinician, "ImagingStudy?_count=1&_sort=started"))
        .as("one full page per visible study, none for the hidden ones between them")
        .containsExactly("narrow-study-1", "narrow-study-2", "narrow-study-3");
    assertThat(walkPages(clinician, "Patient?_count=1")).containsExactly("narrow-subject");
  }

  private void study(String id, String uid, String started) {
    ImagingStudy study = new ImagingStudy();
    study.setId(id);
    study.addIdentifier().setSystem("urn:dicom:uid").setValue("urn:oid:" + uid);
    study.setStatus(ImagingStudy.ImagingStudyStatus.AVAILABLE);
    study.addModality(new Coding("http://dicom.nema.org/resources/ontology/DCM", "CT", "Computed Tomography"));
    study.setSubject(new Reference("Patient/narrow-subject"));
    study.setStartedElement(new DateTimeType(started));
    fixtures.store(study);
  }

  @Test
  void aHealthPlansPagesAreFullAndCarryNoTotal() {
    FhirHttp plan = as("payer.evans", "user/*.rs");
    List<String> paged = walkPages(plan, "DiagnosticReport?_count=1&_sort=issued");
    assertThat(paged).contains("alice-ct-chest-report", "alice-ct-head-report").noneMatch(id -> id.startsWith("bruno"));
    assertThat(paged).containsExactlyInAnyOrderElementsOf(ids(plan.get("DiagnosticReport?_count=500").bundle()));
  }

  @Test
  void aClinicianWithNoPatientsGetsOneEmptyPage() {
    TestAccounts.ensure(context, "test.dr-nobody", "Practitioner/test-dr-nobody", "CLINICIAN", "Organization/imaging-centre");
    FhirHttp nobody = as("test.dr-nobody", "user/*.rs");
    for (String search : List.of("ImagingStudy?_count=1", "DiagnosticReport", "Patient?_count=1")) {
      FhirHttp.Response response = nobody.get(search);
      assertThat(response.status()).as(search + ": " + response).isEqualTo(200);
      Bundle bundle = response.bundle();
      assertThat(bundle.getEntry()).as(search).isEmpty();
      assertThat(bundle.hasTotal()).as(search).isFalse();
      assertThat(bundle.getLink("next")).as(search).isNull();
    }
  }

  /** Follows the next links; every page is full (one entry), none has a total. */
  private static List<String> walkPages(FhirHttp as, String search) {
    List<String> seen = new ArrayList<>();
    Bundle page = as.get(search).bundle();
    for (int n = 0; n < 200; n++) {
      assertThat(page.hasTotal()).as("page " + n + " has no total").isFalse();
      Bundle.BundleLinkComponent next = page.getLink("next");
      // full pages: one entry each, the last one too (an empty last page would count a hidden record)
      assertThat(ids(page)).as("page " + n + " of " + search + " is full").hasSize(1);
      seen.addAll(ids(page));
      if (next == null) {
        return seen;
      }
      page = as.get(next.getUrl()).bundle();
    }
    throw new AssertionError("more than 200 pages");
  }
}
