package dev.custodian.server.policy;

import static dev.custodian.server.support.Visibility.ids;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import dev.custodian.server.support.FhirHttp;
import dev.custodian.server.support.ServerTestBase;
import dev.custodian.server.support.TestAccounts;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;

/**
 * Staff searches are narrowed in the database to the patients the caller could see, so hidden
 * records never shape a page: a clinician's and a health plan's pages are full, carry no total, and
 * there are exactly as many pages as visible records — bruno's studies, sorted between alice's, leave
 * no empty or short page behind. A clinician with no patients at all gets one empty page.
 */
class StaffSearchNarrowingTest extends ServerTestBase {

  @Test
  void aCliniciansPagesAreFullAndCarryNoTotal() {
    // a clinician of her own, on an active CareTeam of alice: all of alice's studies are hers to
    // see, none of bruno's — whose studies sort between alice's
    TestAccounts.ensure(context, "test.dr-narrow", "Practitioner/test-dr-narrow", "CLINICIAN", "Organization/imaging-centre");
    org.hl7.fhir.r4.model.Practitioner practitioner = new org.hl7.fhir.r4.model.Practitioner();
    practitioner.setId("test-dr-narrow");
    practitioner.addName().setFamily("Narrow");
    fixtures.store(practitioner);
    org.hl7.fhir.r4.model.CareTeam team = new org.hl7.fhir.r4.model.CareTeam();
    team.setId("test-dr-narrow-team");
    team.setStatus(org.hl7.fhir.r4.model.CareTeam.CareTeamStatus.ACTIVE);
    team.setSubject(new org.hl7.fhir.r4.model.Reference("Patient/alice"));
    team.addParticipant().setMember(new org.hl7.fhir.r4.model.Reference("Practitioner/test-dr-narrow"));
    fixtures.store(team);
    FhirHttp clinician = as("test.dr-narrow", "user/*.rs");
    assertThat(daos.getResourceDao("ImagingStudy")
            .search(new ca.uhn.fhir.jpa.searchparam.SearchParameterMap().setLoadSynchronous(true)
                .add("patient", new ca.uhn.fhir.rest.param.ReferenceParam("Patient/bruno")), new SystemRequestDetails())
            .getAllResources())
        .as("bruno has studies, hidden from this clinician").isNotEmpty();

    List<String> paged = walkPages(clinician, "ImagingStudy?_count=1&_sort=started");
    assertThat(paged).contains("alice-ct-chest", "alice-ct-head").noneMatch(id -> id.startsWith("bruno"));
    assertThat(paged).as("one page per visible study, none for hidden ones")
        .containsExactlyInAnyOrderElementsOf(ids(clinician.get("ImagingStudy?_count=500").bundle()));
    assertThat(walkPages(clinician, "DiagnosticReport?_count=1&_sort=issued"))
        .contains("alice-ct-chest-report", "alice-ct-head-report").noneMatch(id -> id.startsWith("bruno"));
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
