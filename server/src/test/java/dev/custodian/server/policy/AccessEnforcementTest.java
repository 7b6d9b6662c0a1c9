package dev.custodian.server.policy;

import static dev.custodian.server.support.Visibility.assertLooksMissing;
import static dev.custodian.server.support.Visibility.ids;
import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.policy.caller.PurposeOfUse;
import dev.custodian.server.support.FhirHttp;
import dev.custodian.server.support.ServerTestBase;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/**
 * Leak tests on the real stack: every path to data asks the policy decision point, and what it
 * denies cannot be reached — not by read, search, include, revinclude, history, counting, chaining,
 * operations or writes. Denied looks exactly like missing.
 */
class AccessEnforcementTest extends ServerTestBase {

  @Test
  void aPatientReadsHerOwnRecordsAndNobodyElses() {
    FhirHttp alice = asPatient("alice");
    assertThat(alice.get("Patient/alice").status()).isEqualTo(200);
    assertThat(alice.get("ImagingStudy/alice-ct-chest").status()).isEqualTo(200);
    assertThat(alice.get("DiagnosticReport/alice-ct-chest-report").status()).isEqualTo(200);

    assertLooksMissing(alice, "ImagingStudy/bruno-ct-chest", "ImagingStudy/no-such-study");
    assertLooksMissing(alice, "Patient/bruno", "Patient/no-such-patient");
    assertLooksMissing(alice, "DiagnosticReport/bruno-ct-chest-report", "DiagnosticReport/no-such-report");
  }

  @Test
  void searchesReturnOnlyWhatTheCallerMaySeeAndNoTotals() {
    FhirHttp alice = asPatient("alice");
    Bundle all = alice.get("ImagingStudy").bundle();
    assertThat(ids(all)).contains("alice-ct-chest", "alice-ct-head").noneMatch(id -> id.startsWith("bruno"));
    assertThat(all.hasTotal()).isFalse();
    // asking for another patient's records is refused on the request alone: the same for a
    // patient who exists and one who does not
    FhirHttp.Response other = alice.get("ImagingStudy?patient=bruno");
    FhirHttp.Response nobody = alice.get("ImagingStudy?patient=no-such-patient");
    assertThat(other.status()).isEqualTo(nobody.status()).isEqualTo(403);
    assertThat(other.body().replace("bruno", "X")).isEqualTo(nobody.body().replace("no-such-patient", "X"));
    assertThat(ids(alice.get("DiagnosticReport?status=final").bundle())).noneMatch(id -> id.startsWith("bruno"));
    assertThat(ids(alice.get("Patient").bundle())).containsExactly("alice");
  }

  @Test
  void aPatientsPagesAreFullAndHerPagingLinksHonest() {
    FhirHttp alice = asPatient("alice");
    Bundle first = alice.get("ImagingStudy?_count=1&_sort=started").bundle();
    assertThat(ids(first)).containsExactly("alice-ct-chest");
    String next = first.getLink("next").getUrl();
    Bundle second = alice.get(next).bundle();
    assertThat(ids(second)).containsExactly("alice-ct-head");
    assertThat(second.getLink("next")).as("no page left over for anyone else's studies").isNull();
  }

  @Test
  void includedAndRevincludedRecordsAreJudgedToo() {
    FhirHttp alice = asPatient("alice");
    Bundle included = alice.get("DiagnosticReport?_include=DiagnosticReport:subject").bundle();
    assertThat(ids(included)).contains("alice").doesNotContain("bruno");

    Bundle revincluded = http.get("Patient?_revinclude=ImagingStudy:patient").bundle();
    assertThat(ids(revincluded)).contains("alice", "alice-ct-chest")
        .doesNotContain("bruno", "bruno-ct-chest", "bruno-ct-abdomen");

    FhirHttp diaz = as("dr.diaz", "user/*.rs");
    assertThat(ids(diaz.get("ImagingStudy?_include=ImagingStudy:patient").bundle())).isEmpty();
  }

  @Test
  void historyDoesNotLeak() {
    FhirHttp alice = asPatient("alice");
    assertLooksMissing(alice, "ImagingStudy/bruno-ct-chest/_history", "ImagingStudy/no-such-study/_history");
    assertThat(ids(alice.get("ImagingStudy/_history").bundle())).noneMatch(id -> id.startsWith("bruno"));
  }

  @Test
  void requestFormsThatCouldRevealHiddenRecordsAreRefused() {
    FhirHttp alice = asPatient("alice");
    for (String query : List.of(
        "Patient?_has:ImagingStudy:patient:modality=CT",
        "ImagingStudy?patient.name=Costa",
        "ImagingStudy?_summary=count",
        "ImagingStudy?_total=accurate",
        "ImagingStudy/bruno-ct-chest/$meta",
        "$meta",
        "_history")) {
      FhirHttp.Response response = alice.get(query);
      assertThat(response.status()).as(query).isBetween(400, 499);
      assertThat(response.body()).as(query).doesNotContain("bruno").doesNotContain("Costa");
    }
    Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    transaction.addEntry().getRequest().setMethod(Bundle.HTTPVerb.GET).setUrl("ImagingStudy/bruno-ct-chest");
    FhirHttp.Response batch = alice.post("", FhirHttp.FHIR_JSON, alice.json(transaction));
    assertThat(batch.status()).isBetween(400, 499);
    assertThat(batch.body()).doesNotContain("bruno-ct-chest\"");
  }

  @Test
  void aClinicianSeesThePatientsHeTreatsOnly() {
    assertThat(http.get("ImagingStudy/alice-ct-chest").status()).isEqualTo(200);
    assertLooksMissing(http, "ImagingStudy/bruno-ct-chest", "ImagingStudy/no-such-study");
    FhirHttp diaz = as("dr.diaz", "user/*.rs");
    assertLooksMissing(diaz, "ImagingStudy/alice-ct-chest", "ImagingStudy/no-such-study");
    assertThat(ids(diaz.get("DiagnosticReport").bundle())).isEmpty();
  }

  @Test
  void patientScopesWithoutALaunchPatientReachNoPatientData() {
    FhirHttp chenPatientScopes = as("dr.chen", "patient/*.rs");
    assertLooksMissing(chenPatientScopes, "ImagingStudy/alice-ct-chest", "ImagingStudy/no-such-study");
  }

  @Test
  void theHealthPlanSeesTheMinimumNecessaryOfThePatientsItCovers() {
    FhirHttp plan = as("payer.evans", "user/*.rs");
    FhirHttp.Response response = plan.get("DiagnosticReport/alice-ct-chest-report");
    assertThat(response.status()).isEqualTo(200);
    DiagnosticReport report = response.resource(DiagnosticReport.class);
    assertThat(report.hasConclusion()).isFalse();
    assertThat(report.hasPresentedForm()).isFalse();
    assertThat(report.getCode().getCodingFirstRep().getCode()).isEqualTo("24627-2");
    assertThat(report.getMeta().getSecurity()).extracting(Coding::getCode).contains("SUBSETTED", "REDACTED");
    assertThat(response.body()).doesNotContain("IMPRESSION").doesNotContain("pulmonary");

    ImagingStudy study = plan.get("ImagingStudy/alice-ct-chest").resource(ImagingStudy.class);
    assertThat(study.hasSeries()).isFalse();
    assertThat(study.getModalityFirstRep().getCode()).isEqualTo("CT");

    assertLooksMissing(plan, "DiagnosticReport/bruno-ct-chest-report", "DiagnosticReport/no-such-report");
  }

  @Test
  void auditEventsAreForAuditorsWithAnExplicitScope() {
    FhirHttp auditor = as("audit.gray", "user/AuditEvent.rs");
    assertThat(auditor.get("AuditEvent").status()).isEqualTo(200);
    assertThat(auditor.get("ImagingStudy/alice-ct-chest").status()).as("no scope for studies").isEqualTo(403);
    // even with a scope for clinical records, an auditor gets no clinical content
    FhirHttp broadAuditor = as("audit.gray", "user/*.rs user/AuditEvent.rs");
    assertLooksMissing(broadAuditor, "ImagingStudy/alice-ct-chest", "ImagingStudy/no-such-study");
    FhirHttp.Response wildcard = http.get("AuditEvent");
    assertThat(wildcard.status()).as("a wildcard scope never reaches AuditEvent").isEqualTo(403);
    assertThat(wildcard.outcome().getIssueFirstRep().getDiagnostics()).contains("scopes do not allow");
  }

  @Test
  void tooLittleScopeIs403BeforeAnythingIsLookedUp() {
    FhirHttp studiesOnly = as("alice", "launch/patient patient/ImagingStudy.rs");
    assertThat(studiesOnly.get("ImagingStudy/alice-ct-chest").status()).isEqualTo(200);
    for (String path : List.of("Patient/alice", "Patient/no-such-patient", "DiagnosticReport?patient=alice")) {
      FhirHttp.Response response = studiesOnly.get(path);
      assertThat(response.status()).as(path).isEqualTo(403);
      assertThat(response.outcome().getIssueFirstRep().getDiagnostics()).contains("scopes do not allow");
    }
    FhirHttp readOnly = as("dr.chen", "user/*.rs");
    ImagingStudy study = readOnly.get("ImagingStudy/alice-ct-head").resource(ImagingStudy.class);
    assertThat(readOnly.update(study).status()).isEqualTo(403);
  }

  @Test
  void writesAreDecidedToo() {
    FhirHttp alice = asPatient("alice");
    ImagingStudy own = alice.get("ImagingStudy/alice-ct-head").resource(ImagingStudy.class);
    own.setDescription("edited by the patient");
    assertThat(alice.update(own).status()).isBetween(400, 499);

    FhirHttp diaz = as("dr.diaz", "user/*.cruds");
    assertThat(diaz.update(own).status()).isEqualTo(403);
    assertThat(diaz.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl() + "/fhir/ImagingStudy/alice-ct-head")).DELETE()).status())
        .isEqualTo(405);

    ImagingStudy mine = http.get("ImagingStudy/alice-ct-head").resource(ImagingStudy.class);
    mine.setDescription("CT Head");
    assertThat(http.update(mine).status()).isEqualTo(200);
  }

  @Test
  void writingToAHiddenIdAnswersAsWritingToAMissingOne() {
    FhirHttp diaz = as("dr.diaz", "user/*.cruds");
    ImagingStudy probe = http.get("ImagingStudy/alice-ct-head").resource(ImagingStudy.class);
    probe.setMeta(null);
    FhirHttp.Response hidden = diaz.update(probe);
    probe.setId("no-such-study-" + System.nanoTime());
    FhirHttp.Response missing = diaz.update(probe);
    assertThat(hidden.status()).isEqualTo(missing.status()).isBetween(400, 499);
    assertThat(hidden.body()).isEqualTo(missing.body());

    java.net.http.HttpRequest.Builder deleteHidden = java.net.http.HttpRequest.newBuilder(
        java.net.URI.create(baseUrl() + "/fhir/ImagingStudy/alice-ct-head")).DELETE();
    java.net.http.HttpRequest.Builder deleteMissing = java.net.http.HttpRequest.newBuilder(
        java.net.URI.create(baseUrl() + "/fhir/ImagingStudy/no-such-study")).DELETE();
    FhirHttp.Response h = diaz.send(deleteHidden);
    FhirHttp.Response m = diaz.send(deleteMissing);
    assertThat(h.status()).as(h + " vs " + m).isEqualTo(m.status()).isEqualTo(405);
    assertThat(h.body()).isEqualTo(m.body());
  }

  @Test
  void aReleaseAuthorizationOpensExactlyWhatItNamesUntilRevoked() {
    FhirHttp diaz = as("dr.diaz", "user/*.rs");
    assertLooksMissing(diaz, "ImagingStudy/alice-ct-chest", "ImagingStudy/no-such-study");

    Consent consent = authorization("enforcement-release", Consent.ConsentState.ACTIVE);
    fixtures.store(consent);
    assertThat(diaz.get("ImagingStudy/alice-ct-chest").status()).isEqualTo(200);
    assertThat(diaz.get("DiagnosticReport/alice-ct-chest-report").status()).isEqualTo(200);
    assertLooksMissing(diaz, "ImagingStudy/alice-ct-head", "ImagingStudy/no-such-study");
    assertThat(ids(diaz.get("ImagingStudy?patient=alice").bundle())).containsExactly("alice-ct-chest");

    consent.setStatus(Consent.ConsentState.INACTIVE);
    fixtures.store(consent);
    assertLooksMissing(diaz, "ImagingStudy/alice-ct-chest", "ImagingStudy/no-such-study");
  }

  private static Consent authorization(String id, Consent.ConsentState state) {
    return dev.custodian.server.support.Fixtures.releaseAuthorization(id, state, "Patient/alice", "Practitioner/dr.diaz",
        "TREAT", 7, "ImagingStudy/alice-ct-chest", "DiagnosticReport/alice-ct-chest-report");
  }
}
