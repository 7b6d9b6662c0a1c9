package dev.custodian.server.policy;

import static dev.custodian.server.support.Visibility.assertLooksMissing;
import static dev.custodian.server.support.Visibility.ids;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import dev.custodian.server.support.FhirHttp;
import dev.custodian.server.support.ServerTestBase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.junit.jupiter.api.Test;

/**
 * One test per leak path of issue #7 (point 8), on the real stack: each tries to reach bruno's
 * records — hidden from alice (a patient, whose searches are narrowed to her compartment) and from
 * dr.chen (a clinician who treats alice only, whose results are filtered) — and asserts that nothing
 * about them comes back: the answer is the answer for a record that does not exist. Where the
 * server refuses a request form before any lookup, the test asserts the refusal and that it is the
 * same for a hidden target and a non-existent one.
 */
class LeakPathTest extends ServerTestBase {

  private static final String HIDDEN_STUDY = "bruno-ct-chest";
  private static final String MISSING_STUDY = "no-such-study";

  private FhirHttp alice() {
    return asPatient("alice");
  }

  private FhirHttp chen() {
    return as("dr.chen", "openid fhirUser user/*.cruds");
  }

  private List<FhirHttp> both() {
    return List.of(alice(), chen());
  }

  /** bruno's study's DICOM Study Instance UID (the identifier a conditional request would match). */
  private String hiddenUid() {
    ImagingStudy study = daos.getResourceDao(ImagingStudy.class)
        .read(new IdType("ImagingStudy/" + HIDDEN_STUDY), new SystemRequestDetails());
    return study.getIdentifierFirstRep().getValue();
  }

  /** Two requests answer alike: the same status, and bodies equal once the ids asked for are masked. */
  private static void sameAnswer(FhirHttp.Response hidden, String hiddenToken, FhirHttp.Response missing, String missingToken) {
    assertThat(hidden.status()).as(hidden + "\nvs\n" + missing).isEqualTo(missing.status());
    assertThat(masked(hidden.body(), hiddenToken)).as(hidden + "\nvs\n" + missing).isEqualTo(masked(missing.body(), missingToken));
    assertThat(masked(hidden.body(), hiddenToken)).doesNotContain("Costa").doesNotContain("bruno");
  }

  private static String masked(String body, String token) {
    return body.replace(token, "X")
        .replace(java.net.URLEncoder.encode(token, java.nio.charset.StandardCharsets.UTF_8), "X")
        .replaceAll("\"id\"\\s*:\\s*\"[^\"]*\"", "\"id\":\"\"")
        .replaceAll("\"lastUpdated\"\\s*:\\s*\"[^\"]*\"", "\"lastUpdated\":\"\"");
  }

  private static void refusedAlike(FhirHttp as, String hiddenPath, String hiddenToken, String missingPath, String missingToken) {
    FhirHttp.Response hidden = as.get(hiddenPath);
    assertThat(hidden.status()).as(hiddenPath + " " + hidden).isEqualTo(400);
    sameAnswer(hidden, hiddenToken, as.get(missingPath), missingToken);
  }

  @Test
  void readAndVreadOfAHiddenRecordAnswerAsAMissingOne() {
    for (FhirHttp as : both()) {
      assertLooksMissing(as, "ImagingStudy/" + HIDDEN_STUDY, "ImagingStudy/" + MISSING_STUDY);
      assertLooksMissing(as, "Patient/bruno", "Patient/no-such-patient");
      sameAnswer(as.get("ImagingStudy/" + HIDDEN_STUDY + "/_history/1"), HIDDEN_STUDY,
          as.get("ImagingStudy/" + MISSING_STUDY + "/_history/1"), MISSING_STUDY);
      assertThat(as.get("ImagingStudy/" + HIDDEN_STUDY + "/_history/1").status()).isEqualTo(404);
    }
  }

  @Test
  void searchesFindNothingOfAHiddenRecordAndCountNothing() {
    String uid = hiddenUid();
    for (FhirHttp as : both()) {
      sameAnswer(as.get("ImagingStudy?_id=" + HIDDEN_STUDY), HIDDEN_STUDY, as.get("ImagingStudy?_id=" + MISSING_STUDY), MISSING_STUDY);
      sameAnswer(as.get("ImagingStudy?identifier=" + uid), uid, as.get("ImagingStudy?identifier=urn:oid:2.25.1"), "urn:oid:2.25.1");
      Bundle mixed = as.get("ImagingStudy?_id=alice-ct-chest," + HIDDEN_STUDY).bundle();
      assertThat(ids(mixed)).containsExactly("alice-ct-chest");
      assertThat(mixed.hasTotal()).as("Bundle.total").isFalse();
    }
    FhirHttp chen = chen();
    sameAnswer(chen.get("ImagingStudy?patient=bruno"), "bruno", chen.get("ImagingStudy?patient=no-such-patient"), "no-such-patient");
  }

  @Test
  void includeRevincludeAndIterateBringNothingHidden() {
    // the imaging centre (a directory record everyone may read) performed alice's and bruno's reports
    for (FhirHttp as : both()) {
      Bundle rev = as.get("Organization?_id=imaging-centre&_revinclude=DiagnosticReport:performer").bundle();
      assertThat(ids(rev)).contains("imaging-centre").noneMatch(id -> id.startsWith("bruno"));
      Bundle iterate = as.get("Organization?_id=imaging-centre&_revinclude=DiagnosticReport:performer"
          + "&_include:iterate=DiagnosticReport:subject&_include:iterate=DiagnosticReport:imaging-study").bundle();
      assertThat(ids(iterate)).contains("imaging-centre", "alice", "alice-ct-chest")
          .noneMatch(id -> id.startsWith("bruno"));
      assertThat(iterate.getEntry()).allMatch(e -> !e.getFullUrl().contains("bruno"));
      Bundle revIterate = as.get("Patient?_id=alice&_revinclude=DiagnosticReport:subject"
          + "&_revinclude:iterate=DiagnosticReport:imaging-study").bundle();
      assertThat(ids(revIterate)).contains("alice").noneMatch(id -> id.startsWith("bruno"));
      assertThat(rev.hasTotal()).isFalse();
    }
  }

  @Test
  void hasChainsCountsAndTotalsAreRefusedAlikeForHiddenAndMissingTargets() {
    for (FhirHttp as : both()) {
      refusedAlike(as, "Patient?_has:ImagingStudy:patient:_id=" + HIDDEN_STUDY, HIDDEN_STUDY,
          "Patient?_has:ImagingStudy:patient:_id=" + MISSING_STUDY, MISSING_STUDY);
      refusedAlike(as, "ImagingStudy?patient.name=Costa", "Costa", "ImagingStudy?patient.name=Nobody", "Nobody");
      refusedAlike(as, "ImagingStudy?subject:Patient.family=Costa", "Costa", "ImagingStudy?subject:Patient.family=Nobody", "Nobody");
      refusedAlike(as, "ImagingStudy?_id=" + HIDDEN_STUDY + "&_summary=count", HIDDEN_STUDY,
          "ImagingStudy?_id=" + MISSING_STUDY + "&_summary=count", MISSING_STUDY);
      refusedAlike(as, "ImagingStudy?_id=" + HIDDEN_STUDY + "&_total=accurate", HIDDEN_STUDY,
          "ImagingStudy?_id=" + MISSING_STUDY + "&_total=accurate", MISSING_STUDY);
      refusedAlike(as, "ImagingStudy?_filter=id eq " + HIDDEN_STUDY, HIDDEN_STUDY,
          "ImagingStudy?_filter=id eq " + MISSING_STUDY, MISSING_STUDY);
    }
  }

  @Test
  void historyAtEveryLevelShowsNothingHidden() {
    for (FhirHttp as : both()) {
      assertLooksMissing(as, "ImagingStudy/" + HIDDEN_STUDY + "/_history", "ImagingStudy/" + MISSING_STUDY + "/_history");
      Bundle typeHistory = as.get("ImagingStudy/_history").bundle();
      assertThat(ids(typeHistory)).noneMatch(id -> id.startsWith("bruno"));
      assertThat(typeHistory.getEntry()).allMatch(e -> e.getFullUrl() == null || !e.getFullUrl().contains("bruno"));
      assertThat(typeHistory.hasTotal()).isFalse();
      FhirHttp.Response system = as.get("_history");
      assertThat(system.status()).isEqualTo(400);
      assertThat(system.body()).doesNotContain("bruno");
    }
  }

  @Test
  void theBenchmarkTwinEndpointIsNotThereUnlessAskedFor() {
    // custodian.bench.compare is not set: /fhir/_bench-off is no endpoint of its own, just a path
    // under /fhir that names no resource type, and shows nothing hidden
    for (FhirHttp as : both()) {
      FhirHttp.Response twin = as.get("_bench-off/ImagingStudy/" + HIDDEN_STUDY);
      assertThat(twin.status()).as(twin.toString()).isBetween(400, 404);
      assertThat(twin.body()).doesNotContain("Costa").doesNotContain("\"resourceType\":\"ImagingStudy\"");
      FhirHttp.Response search = as.get("_bench-off/ImagingStudy?patient=bruno");
      assertThat(search.status()).as(search.toString()).isBetween(400, 404);
      assertThat(search.body()).doesNotContain("Costa").doesNotContain("\"resourceType\":\"Bundle\"");
    }
  }

  @Test
  void everythingExportAndGraphqlAreRefusedAlike() {
    for (FhirHttp as : both()) {
      refusedAlike(as, "Patient/bruno/$everything", "bruno", "Patient/no-such-patient/$everything", "no-such-patient");
      refusedAlike(as, "Patient/bruno/$export", "bruno", "Patient/no-such-patient/$export", "no-such-patient");
      for (String export : List.of("$export", "Patient/$export", "Group/bruno-group/$export")) {
        FhirHttp.Response response = as.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/fhir/" + export))
            .header("Accept", FhirHttp.FHIR_JSON).header("Prefer", "respond-async").GET());
        assertThat(response.status()).as(export + " " + response).isEqualTo(400);
      }
      // GraphQL (the query is {id}, and {ImagingStudyList(_id:"…"){id}}, URL-encoded)
      refusedAlike(as, "ImagingStudy/" + HIDDEN_STUDY + "/$graphql?query=%7Bid%7D", HIDDEN_STUDY,
          "ImagingStudy/" + MISSING_STUDY + "/$graphql?query=%7Bid%7D", MISSING_STUDY);
      refusedAlike(as, "$graphql?query=%7BImagingStudyList(_id:%22" + HIDDEN_STUDY + "%22)%7Bid%7D%7D", HIDDEN_STUDY,
          "$graphql?query=%7BImagingStudyList(_id:%22" + MISSING_STUDY + "%22)%7Bid%7D%7D", MISSING_STUDY);
    }
  }

  @Test
  void batchEntriesAnswerAsTheSingleRequestsAndTransactionsReadNothing() {
    List<String> urls = List.of("ImagingStudy/" + HIDDEN_STUDY, "ImagingStudy/" + MISSING_STUDY,
        "ImagingStudy?patient=bruno", "ImagingStudy?_id=" + HIDDEN_STUDY, "ImagingStudy?_id=" + MISSING_STUDY,
        "Patient?_has:ImagingStudy:patient:_id=" + HIDDEN_STUDY);
    for (FhirHttp as : both()) {
      Bundle batch = new Bundle().setType(Bundle.BundleType.BATCH);
      urls.forEach(url -> batch.addEntry().getRequest().setMethod(Bundle.HTTPVerb.GET).setUrl(url));
      FhirHttp.Response answer = as.post("", FhirHttp.FHIR_JSON, as.json(batch));
      assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
      List<Bundle.BundleEntryComponent> entries = answer.bundle().getEntry();
      for (int i = 0; i < urls.size(); i++) {
        // each entry is what the single request answers
        FhirHttp.Response single = as.get(urls.get(i));
        Bundle.BundleEntryComponent entry = entries.get(i);
        assertThat(entry.getResponse().getStatus()).as(urls.get(i)).startsWith(String.valueOf(single.status()));
        org.hl7.fhir.r4.model.Resource body = entry.hasResource() ? entry.getResource() : entry.getResponse().getOutcome();
        assertThat(masked(as.json(body), "x")).as(urls.get(i))
            .isEqualTo(masked(as.json(fhirContext.newJsonParser().parseResource(single.body())), "x"));
      }
      assertThat(entries.get(0).getResponse().getStatus()).startsWith("404");
      assertThat(masked(as.json(entries.get(0).getResponse().getOutcome()), HIDDEN_STUDY))
          .isEqualTo(masked(as.json(entries.get(1).getResponse().getOutcome()), MISSING_STUDY));
      assertThat(masked(as.json(entries.get(3).getResource()), HIDDEN_STUDY))
          .isEqualTo(masked(as.json(entries.get(4).getResource()), MISSING_STUDY));
      assertThat(answer.body()).doesNotContain("Costa").doesNotContain("\"" + HIDDEN_STUDY + "\"");
      // a transaction holds writes only: a read in it is refused, the same for a hidden and a missing id
      FhirHttp.Response hidden = as.post("", FhirHttp.FHIR_JSON, as.json(getting(Bundle.BundleType.TRANSACTION, "ImagingStudy/" + HIDDEN_STUDY)));
      FhirHttp.Response missing = as.post("", FhirHttp.FHIR_JSON, as.json(getting(Bundle.BundleType.TRANSACTION, "ImagingStudy/" + MISSING_STUDY)));
      assertThat(hidden.status()).as(hidden.toString()).isEqualTo(400);
      sameAnswer(hidden, HIDDEN_STUDY, missing, MISSING_STUDY);
    }
  }

  private static Bundle getting(Bundle.BundleType type, String url) {
    Bundle bundle = new Bundle().setType(type);
    bundle.addEntry().getRequest().setMethod(Bundle.HTTPVerb.GET).setUrl(url);
    return bundle;
  }

  @Test
  void conditionalWritesRevealNoMatch() {
    String uid = hiddenUid();
    String other = "urn:oid:2.25.424242424242";
    FhirHttp chen = chen();
    ImagingStudy probe = chen.get("ImagingStudy/alice-ct-chest").resource(ImagingStudy.class);
    probe.setId((String) null);
    probe.setMeta(null);
    String body = chen.json(probe);
    for (FhirHttp as : both()) {
      // conditional create: If-None-Exist naming bruno's study, or a study that does not exist
      FhirHttp.Response hiddenCreate = as.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/fhir/ImagingStudy"))
          .header("Content-Type", FhirHttp.FHIR_JSON).header("Accept", FhirHttp.FHIR_JSON)
          .header("If-None-Exist", "identifier=" + uid).POST(HttpRequest.BodyPublishers.ofString(body)));
      FhirHttp.Response missingCreate = as.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/fhir/ImagingStudy"))
          .header("Content-Type", FhirHttp.FHIR_JSON).header("Accept", FhirHttp.FHIR_JSON)
          .header("If-None-Exist", "identifier=" + other).POST(HttpRequest.BodyPublishers.ofString(body)));
      assertThat(hiddenCreate.status()).as(hiddenCreate.toString()).isEqualTo(400);
      sameAnswer(hiddenCreate, uid, missingCreate, other);
      // conditional update and patch
      sameAnswer(as.put("ImagingStudy?identifier=" + uid, FhirHttp.FHIR_JSON, body), uid,
          as.put("ImagingStudy?identifier=" + other, FhirHttp.FHIR_JSON, body), other);
      assertThat(as.put("ImagingStudy?identifier=" + uid, FhirHttp.FHIR_JSON, body).status()).isEqualTo(400);
      String patch = "[{\"op\":\"replace\",\"path\":\"/description\",\"value\":\"x\"}]";
      sameAnswer(patchAt(as, "ImagingStudy?identifier=" + uid, patch), uid, patchAt(as, "ImagingStudy?identifier=" + other, patch), other);
      // conditional delete
      FhirHttp.Response hiddenDelete = deleteAt(as, "ImagingStudy?identifier=" + uid);
      assertThat(hiddenDelete.status()).as(hiddenDelete.toString()).isBetween(400, 405);
      sameAnswer(hiddenDelete, uid, deleteAt(as, "ImagingStudy?identifier=" + other), other);
    }
    assertThat(chen.get("ImagingStudy/" + HIDDEN_STUDY + "/_history").status()).as("bruno's study untouched").isEqualTo(404);
    assertThat(daos.getResourceDao(ImagingStudy.class)
        .read(new IdType("ImagingStudy/" + HIDDEN_STUDY), new SystemRequestDetails()).getDescription())
        .isNotEqualTo("x");
  }

  private FhirHttp.Response patchAt(FhirHttp as, String path, String patch) {
    return as.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/fhir/" + path.replace("|", "%7C")))
        .header("Content-Type", "application/json-patch+json").header("Accept", FhirHttp.FHIR_JSON)
        .method("PATCH", HttpRequest.BodyPublishers.ofString(patch)));
  }

  private FhirHttp.Response deleteAt(FhirHttp as, String path) {
    return as.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/fhir/" + path.replace("|", "%7C")))
        .header("Accept", FhirHttp.FHIR_JSON).DELETE());
  }

  @Test
  void pagesOfAFilteredSearchTellNothingOfHiddenMatches() {
    // a clinician's searches are filtered, not narrowed: walk every page of one record per page and
    // check that no page comes back short (a short page would tell that a hidden record matched)
    // (bruno's reports sort after alice's and before anything else of the demo's, so they are
    // matched on the pages right after hers)
    FhirHttp chen = chen();
    List<String> seen = new java.util.ArrayList<>();
    String next = "DiagnosticReport?_count=1&_sort=_id";
    int pages = 0;
    while (next != null && pages++ < 50) {
      Bundle page = chen.get(next).bundle();
      assertThat(page.hasTotal()).isFalse();
      assertThat(ids(page)).as("page " + pages + ": one record, never a short or empty page").hasSize(1)
          .noneMatch(id -> id.startsWith("bruno"));
      seen.addAll(ids(page));
      next = page.getLink("next") == null ? null : page.getLink("next").getUrl();
    }
    assertThat(seen).contains("alice-ct-chest-report", "alice-ct-head-report").doesNotHaveDuplicates();
  }

  /**
   * A write that refers to another record: the server checks that the target exists (referential
   * integrity). A reference to a record the caller may not see must be refused exactly as a reference
   * to one that does not exist, or the answer would tell that it exists.
   */
  @Test
  void aWriteReferringToAHiddenRecordAnswersAsForAMissingOne() {
    FhirHttp chen = chen();
    DiagnosticReport report = newReportOfAlice(chen);
    report.getImagingStudy().clear();
    report.addImagingStudy(new org.hl7.fhir.r4.model.Reference("ImagingStudy/" + HIDDEN_STUDY));
    FhirHttp.Response hidden = chen.create(report);
    report.getImagingStudy().clear();
    report.addImagingStudy(new org.hl7.fhir.r4.model.Reference("ImagingStudy/" + MISSING_STUDY));
    FhirHttp.Response missing = chen.create(report);
    assertThat(missing.status()).as(missing.toString()).isEqualTo(400);
    sameAnswer(hidden, HIDDEN_STUDY, missing, MISSING_STUDY);
    // a conditional reference would search hidden records: refused alike
    report.getImagingStudy().clear();
    report.addImagingStudy(new org.hl7.fhir.r4.model.Reference("ImagingStudy?identifier=" + hiddenUid()));
    FhirHttp.Response conditional = chen.create(report);
    assertThat(conditional.status()).isEqualTo(400);
    assertThat(conditional.body()).doesNotContain("bruno");
    // someone who may not write the record at all is refused before the references are looked at
    FhirHttp diaz = as("dr.diaz", "openid fhirUser user/*.cruds");
    report.getImagingStudy().clear();
    report.addImagingStudy(new org.hl7.fhir.r4.model.Reference("ImagingStudy/" + HIDDEN_STUDY));
    FhirHttp.Response diazHidden = diaz.create(report);
    report.getImagingStudy().clear();
    report.addImagingStudy(new org.hl7.fhir.r4.model.Reference("ImagingStudy/" + MISSING_STUDY));
    assertThat(diazHidden.status()).isEqualTo(403);
    sameAnswer(diazHidden, HIDDEN_STUDY, diaz.create(report), MISSING_STUDY);
    // the same for a patient's own Consent naming another patient's study
    FhirHttp alice = as("alice", "launch/patient patient/*.cruds");
    org.hl7.fhir.r4.model.Consent consent = dev.custodian.server.support.Fixtures.releaseAuthorization(null,
        org.hl7.fhir.r4.model.Consent.ConsentState.ACTIVE, "Patient/alice", "Practitioner/dr.diaz", "TREAT", 7,
        "ImagingStudy/" + HIDDEN_STUDY);
    consent.setIdElement(new IdType());
    FhirHttp.Response consentHidden = alice.create(consent);
    consent.getProvision().getDataFirstRep().setReference(new org.hl7.fhir.r4.model.Reference("ImagingStudy/" + MISSING_STUDY));
    assertThat(consentHidden.status()).as(consentHidden.toString()).isEqualTo(400);
    sameAnswer(consentHidden, HIDDEN_STUDY, alice.create(consent), MISSING_STUDY);
  }

  @Test
  void writesReferringToVisibleRecordsStillWork() {
    FhirHttp chen = chen();
    // a patient of the test's own, so the demo patients' records stay as the demo loaded them
    String patient = fixtures.patientTreatedByDrChen("leak-path-writes");
    DiagnosticReport report = newReportOfAlice(chen);
    ImagingStudy study = daos.getResourceDao(ImagingStudy.class)
        .read(new org.hl7.fhir.r4.model.IdType("ImagingStudy/alice-ct-head"), new SystemRequestDetails());
    study.setId("leak-path-writes-study");
    study.setMeta(null);
    study.getIdentifierFirstRep().setValue("urn:oid:2.25.8150723491275310846213307751123");
    study.setSubject(new org.hl7.fhir.r4.model.Reference("Patient/" + patient));
    study.getEndpoint().clear();
    fixtures.store(study);
    report.setSubject(new org.hl7.fhir.r4.model.Reference("Patient/" + patient));
    report.getImagingStudy().clear();
    report.addImagingStudy(new org.hl7.fhir.r4.model.Reference("ImagingStudy/leak-path-writes-study"));
    FhirHttp.Response created = chen.create(report);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    // an update keeps references it already had, even to records the writer may not see (an
    // auditor completing a review item does not see its patient)
    FhirHttp.Response update = chen.update(chen.get("DiagnosticReport/alice-ct-head-report")
        .resource(DiagnosticReport.class));
    assertThat(update.status()).as(update.toString()).isEqualTo(200);
  }

  /** A copy of alice's CT head report, to create as a new one. */
  private static DiagnosticReport newReportOfAlice(FhirHttp as) {
    DiagnosticReport report = as.get("DiagnosticReport/alice-ct-head-report").resource(DiagnosticReport.class);
    report.setId((String) null);
    report.setMeta(null);
    return report;
  }

  @Test
  void errorMessagesNameNothingHidden() {
    for (FhirHttp as : both()) {
      for (String path : List.of(
          "ImagingStudy/" + HIDDEN_STUDY, "ImagingStudy/" + HIDDEN_STUDY + "/_history/99",
          "ImagingStudy?_id=" + HIDDEN_STUDY + "&_include=ImagingStudy:nonsense",
          "DiagnosticReport?subject=Patient/bruno&_sort=nonsense")) {
        FhirHttp.Response response = as.get(path);
        assertThat(response.body()).as(path).doesNotContain("Costa").doesNotContain("MRN-100002")
            .doesNotContain("bruno-ct-chest-report").doesNotContain("\"Patient/bruno\"");
        assertThat(response.status()).as(path).isLessThan(500);
      }
    }
  }
}
