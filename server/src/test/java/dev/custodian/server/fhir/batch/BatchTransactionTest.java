package dev.custodian.server.fhir.batch;

import static dev.custodian.server.support.Visibility.ids;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import dev.custodian.server.support.FhirHttp;
import dev.custodian.server.support.ServerTestBase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

/**
 * Batch and transaction on the real stack: each batch entry answers exactly as the single request
 * would (hidden records look missing, searches find nothing hidden, refused forms are refused alike),
 * a transaction is all or nothing and tells a hidden target from a missing one in no way, and every
 * entry is audited. bruno's records are hidden from dr.chen; alice's from bruno.
 */
class BatchTransactionTest extends ServerTestBase {

  private FhirHttp bruno() {
    return asPatient("bruno");
  }

  private FhirHttp chen() {
    return as("dr.chen", "openid fhirUser user/*.cruds");
  }

  private static Bundle bundle(Bundle.BundleType type) {
    return new Bundle().setType(type);
  }

  private static Bundle.BundleEntryComponent get(Bundle bundle, String url) {
    Bundle.BundleEntryComponent entry = bundle.addEntry();
    entry.getRequest().setMethod(Bundle.HTTPVerb.GET).setUrl(url);
    return entry;
  }

  private static Bundle.BundleEntryComponent write(Bundle bundle, Bundle.HTTPVerb verb, String url, Resource resource) {
    Bundle.BundleEntryComponent entry = bundle.addEntry().setResource(resource);
    entry.getRequest().setMethod(verb).setUrl(url);
    return entry;
  }

  private static FhirHttp.Response post(FhirHttp as, Bundle bundle) {
    return as.post("", FhirHttp.FHIR_JSON, as.json(bundle));
  }

  private static FhirHttp.Response post(FhirHttp as, Bundle bundle, String requestId) {
    return as.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/fhir"))
        .header("Content-Type", FhirHttp.FHIR_JSON).header("Accept", FhirHttp.FHIR_JSON)
        .header("X-Request-ID", requestId)
        .POST(HttpRequest.BodyPublishers.ofString(as.json(bundle))));
  }

  /** The parts of two answers a client could compare, with the ids it asked for masked. */
  private String masked(Object answer, String token) {
    String json = answer instanceof Resource resource ? fhirContext.newJsonParser().encodeResourceToString(resource)
        : String.valueOf(answer);
    return json.replace(token, "X")
        .replaceAll("\"id\"\\s*:\\s*\"[^\"]*\"", "\"id\":\"\"")
        .replaceAll("\"lastUpdated\"\\s*:\\s*\"[^\"]*\"", "\"lastUpdated\":\"\"");
  }

  private void sameEntry(Bundle.BundleEntryComponent hidden, String hiddenToken, Bundle.BundleEntryComponent missing,
      String missingToken) {
    assertThat(hidden.getResponse().getStatus()).isEqualTo(missing.getResponse().getStatus());
    assertThat(masked(hidden.getResponse().getOutcome(), hiddenToken))
        .isEqualTo(masked(missing.getResponse().getOutcome(), missingToken));
    assertThat(masked(hidden.getResource(), hiddenToken)).isEqualTo(masked(missing.getResource(), missingToken));
  }

  private void sameAnswer(FhirHttp.Response hidden, String hiddenToken, FhirHttp.Response missing, String missingToken) {
    assertThat(hidden.status()).as(hidden + "\nvs\n" + missing).isEqualTo(missing.status());
    assertThat(masked(hidden.body(), hiddenToken)).as(hidden + "\nvs\n" + missing)
        .isEqualTo(masked(missing.body(), missingToken));
  }

  @Test
  void readsInABatchAnswerAsTheSingleReadsDo() {
    FhirHttp bruno = bruno();
    Bundle batch = bundle(Bundle.BundleType.BATCH);
    get(batch, "ImagingStudy/alice-ct-chest");
    get(batch, "ImagingStudy/no-such-study");
    get(batch, "ImagingStudy/bruno-ct-chest");
    get(batch, "DiagnosticReport/alice-ct-chest-report/_history/1");
    get(batch, "DiagnosticReport/no-such-report/_history/1");
    get(batch, "Patient/alice/_history");
    get(batch, "Patient/no-such-patient/_history");
    FhirHttp.Response response = post(bruno, batch);
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    Bundle answer = response.bundle();
    assertThat(answer.getType()).isEqualTo(Bundle.BundleType.BATCHRESPONSE);
    List<Bundle.BundleEntryComponent> entries = answer.getEntry();
    assertThat(entries).hasSize(7);
    assertThat(entries.get(0).getResponse().getStatus()).startsWith("404");
    assertThat(entries.get(0).hasResource()).isFalse();
    sameEntry(entries.get(0), "alice-ct-chest", entries.get(1), "no-such-study");
    sameEntry(entries.get(3), "alice-ct-chest-report", entries.get(4), "no-such-report");
    sameEntry(entries.get(5), "alice", entries.get(6), "no-such-patient");
    assertThat(entries.get(2).getResponse().getStatus()).startsWith("200");
    assertThat(entries.get(2).getResource()).isInstanceOf(ImagingStudy.class);
    assertThat(entries.get(2).getResource().getIdElement().getIdPart()).isEqualTo("bruno-ct-chest");
    assertThat(response.body()).doesNotContain("Martin").doesNotContain("CT chest of alice");
    // the entry says what the single request says
    FhirHttp.Response single = bruno.get("ImagingStudy/alice-ct-chest");
    assertThat(entries.get(0).getResponse().getStatus()).startsWith(String.valueOf(single.status()));
    assertThat(masked(entries.get(0).getResponse().getOutcome(), "x")).isEqualTo(masked(single.outcome(), "x"));
  }

  @Test
  void searchesInABatchFindNothingHiddenAndRefusedFormsAreRefusedAlike() {
    Bundle batch = bundle(Bundle.BundleType.BATCH);
    get(batch, "ImagingStudy?_id=alice-ct-chest");
    get(batch, "ImagingStudy?_id=no-such-study");
    get(batch, "Organization?_id=imaging-centre&_revinclude=DiagnosticReport:performer");
    get(batch, "Organization?_id=imaging-centre&_revinclude=DiagnosticReport:performer"
        + "&_include:iterate=DiagnosticReport:subject&_include:iterate=DiagnosticReport:imaging-study");
    get(batch, "DiagnosticReport?_include=DiagnosticReport:subject&_revinclude=Patient:link");
    get(batch, "Patient?_has:ImagingStudy:patient:_id=alice-ct-chest");
    get(batch, "Patient?_has:ImagingStudy:patient:_id=no-such-study");
    get(batch, "ImagingStudy?patient.name=Martin");
    get(batch, "ImagingStudy?patient.name=Nobody");
    get(batch, "ImagingStudy?_id=alice-ct-chest&_summary=count");
    get(batch, "ImagingStudy?_id=no-such-study&_summary=count");
    FhirHttp.Response response = post(bruno(), batch);
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    List<Bundle.BundleEntryComponent> entries = response.bundle().getEntry();
    assertThat(entries).hasSize(11);
    sameEntry(entries.get(0), "alice-ct-chest", entries.get(1), "no-such-study");
    assertThat(((Bundle) entries.get(0).getResource()).getEntry()).isEmpty();
    for (int i = 2; i <= 4; i++) {
      Bundle found = (Bundle) entries.get(i).getResource();
      assertThat(entries.get(i).getResponse().getStatus()).startsWith("200");
      assertThat(ids(found)).noneMatch(id -> id.startsWith("alice"));
      assertThat(found.getEntry()).allMatch(e -> e.getFullUrl() == null || !e.getFullUrl().contains("alice"));
      assertThat(found.hasTotal()).isFalse();
    }
    assertThat(ids((Bundle) entries.get(3).getResource())).contains("imaging-centre", "bruno", "bruno-ct-chest");
    for (int[] pair : new int[][] {{5, 6}, {7, 8}, {9, 10}}) {
      assertThat(entries.get(pair[0]).getResponse().getStatus()).startsWith("400");
      sameEntry(entries.get(pair[0]), pair[0] == 7 ? "Martin" : "alice-ct-chest",
          entries.get(pair[1]), pair[0] == 7 ? "Nobody" : "no-such-study");
    }
    assertThat(response.body()).doesNotContain("\"Martin\"").doesNotContain("alice-ct-chest-report");
  }

  @Test
  void alicesOwnRecordsComeBackInABatch() {
    Bundle batch = bundle(Bundle.BundleType.BATCH);
    get(batch, "Patient/alice");
    get(batch, "ImagingStudy?patient=alice");
    get(batch, "DiagnosticReport/alice-ct-chest-report");
    FhirHttp.Response response = post(asPatient("alice"), batch);
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    List<Bundle.BundleEntryComponent> entries = response.bundle().getEntry();
    assertThat(entries).extracting(e -> e.getResponse().getStatus()).allMatch(s -> s.startsWith("200"));
    assertThat(entries.get(0).getResource().getIdElement().getIdPart()).isEqualTo("alice");
    assertThat(ids((Bundle) entries.get(1).getResource())).contains("alice-ct-chest", "alice-ct-head");
    assertThat(((DiagnosticReport) entries.get(2).getResource()).getConclusion()).isNotBlank();
  }

  @Test
  void drChenWritesAReportAndItsObservationInOneTransaction() {
    String patient = fixtures.patientTreatedByDrChen("batch-tx-happy");
    String study = studyOf(patient, "batch-tx-happy-study", "urn:oid:2.25.5173920461187703");
    FhirHttp chen = chen();
    String requestId = "tx-" + UUID.randomUUID();
    FhirHttp.Response response = post(chen, reportWithObservation(patient, study), requestId);
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    Bundle answer = response.bundle();
    assertThat(answer.getType()).isEqualTo(Bundle.BundleType.TRANSACTIONRESPONSE);
    assertThat(answer.getEntry()).hasSize(2).allMatch(e -> e.getResponse().getStatus().startsWith("201"));
    String reportId = new IdType(answer.getEntry().get(1).getResponse().getLocation()).getIdPart();
    DiagnosticReport stored = chen.get("DiagnosticReport/" + reportId).resource(DiagnosticReport.class);
    String observation = stored.getResultFirstRep().getReference();
    assertThat(observation).startsWith("Observation/");
    assertThat(chen.get(observation).status()).isEqualTo(200);
    // one audit event per entry, each a successful create naming what it wrote
    List<AuditEvent> events = eventsOf(requestId);
    assertThat(events).hasSize(2);
    assertThat(events).allMatch(e -> e.getOutcome() == AuditEvent.AuditEventOutcome._0)
        .allMatch(e -> "create".equals(e.getSubtypeFirstRep().getCode()));
    assertThat(events).anyMatch(e -> e.getEntity().stream()
        .anyMatch(entity -> ("DiagnosticReport/" + reportId).equals(entity.getWhat().getReferenceElement().toUnqualifiedVersionless().getValue())));
  }

  @Test
  void anEntrysResourceMustBeOfItsUrlsTypeSoScopesCannotBeSidestepped() {
    String patient = fixtures.patientTreatedByDrChen("batch-tx-type");
    String study = studyOf(patient, "batch-tx-type-study", "urn:oid:2.25.5173920461187705");
    // an app allowed to write Observations only, sending a report under an Observation URL
    FhirHttp observationsOnly = as("dr.chen", "openid fhirUser user/*.rs user/Observation.cu");
    Bundle tx = bundle(Bundle.BundleType.TRANSACTION);
    write(tx, Bundle.HTTPVerb.POST, "Observation", report(patient, study));
    FhirHttp.Response refused = post(observationsOnly, tx);
    assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
    assertThat(refused.body()).contains("must be of the type its URL names");
    // and under its own URL the scope check refuses it
    Bundle honest = bundle(Bundle.BundleType.TRANSACTION);
    write(honest, Bundle.HTTPVerb.POST, "DiagnosticReport", report(patient, study));
    assertThat(post(observationsOnly, honest).status()).isEqualTo(403);
    assertThat(chen().get("DiagnosticReport?subject=Patient/" + patient).bundle().getEntry()).isEmpty();
  }

  @Test
  void aTransactionWithOneDeniedEntryWritesNothingAndTellsHiddenFromMissingInNoWay() {
    String patient = fixtures.patientTreatedByDrChen("batch-tx-mixed");
    String study = studyOf(patient, "batch-tx-mixed-study", "urn:oid:2.25.5173920461187704");
    FhirHttp chen = chen();
    DiagnosticReport probe = report(patient, study);
    String requestId = "tx-" + UUID.randomUUID();
    Bundle hiddenTx = reportWithObservation(patient, study);
    write(hiddenTx, Bundle.HTTPVerb.PUT, "DiagnosticReport/bruno-ct-chest-report", probe.copy().setId("bruno-ct-chest-report"));
    String missingId = "no-such-report-" + System.nanoTime();
    Bundle missingTx = reportWithObservation(patient, study);
    write(missingTx, Bundle.HTTPVerb.PUT, "DiagnosticReport/" + missingId, probe.copy().setId(missingId));
    FhirHttp.Response hidden = post(chen, hiddenTx, requestId);
    FhirHttp.Response missing = post(chen, missingTx);
    assertThat(hidden.status()).as(hidden.toString()).isEqualTo(403);
    sameAnswer(hidden, "bruno-ct-chest-report", missing, missingId);
    assertThat(hidden.body()).doesNotContain("Costa").doesNotContain("bruno-ct-chest\"");
    // nothing of either transaction was written: no report, no observation for the patient
    assertThat(chen.get("DiagnosticReport?subject=Patient/" + patient).bundle().getEntry()).isEmpty();
    assertThat(chen.get("Observation?subject=Patient/" + patient).bundle().getEntry()).isEmpty();
    DiagnosticReport bruno = daos.getResourceDao(DiagnosticReport.class)
        .read(new IdType("DiagnosticReport/bruno-ct-chest-report"), new SystemRequestDetails());
    assertThat(bruno.getSubject().getReference()).isEqualTo("Patient/bruno");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> daos.getResourceDao(DiagnosticReport.class)
        .read(new IdType("DiagnosticReport/" + missingId), new SystemRequestDetails()))
        .isInstanceOf(ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException.class);
  }

  @Test
  void deletesAndConditionalFormsInATransactionOrBatchRevealNoMatch() {
    FhirHttp chen = chen();
    String uid = daos.getResourceDao(ImagingStudy.class)
        .read(new IdType("ImagingStudy/bruno-ct-chest"), new SystemRequestDetails()).getIdentifierFirstRep().getValue();
    String other = "urn:oid:2.25.42424242424243";
    ImagingStudy probe = chen.get("ImagingStudy/alice-ct-chest").resource(ImagingStudy.class);
    probe.setId((String) null);
    probe.setMeta(null);
    for (Bundle.BundleType type : List.of(Bundle.BundleType.TRANSACTION, Bundle.BundleType.BATCH)) {
      // delete of a hidden record vs a missing one
      compare(chen, type, b -> b.addEntry().getRequest().setMethod(Bundle.HTTPVerb.DELETE).setUrl("ImagingStudy/bruno-ct-chest"),
          "bruno-ct-chest", b -> b.addEntry().getRequest().setMethod(Bundle.HTTPVerb.DELETE).setUrl("ImagingStudy/no-such-study"),
          "no-such-study", 405);
      // conditional create, update and delete matching bruno's study vs nothing
      compare(chen, type, b -> write(b, Bundle.HTTPVerb.POST, "ImagingStudy", probe).getRequest().setIfNoneExist("identifier=" + uid),
          uid, b -> write(b, Bundle.HTTPVerb.POST, "ImagingStudy", probe).getRequest().setIfNoneExist("identifier=" + other),
          other, 400);
      compare(chen, type, b -> write(b, Bundle.HTTPVerb.PUT, "ImagingStudy?identifier=" + uid, probe),
          uid, b -> write(b, Bundle.HTTPVerb.PUT, "ImagingStudy?identifier=" + other, probe), other, 400);
      compare(chen, type, b -> b.addEntry().getRequest().setMethod(Bundle.HTTPVerb.DELETE).setUrl("ImagingStudy?identifier=" + uid),
          uid, b -> b.addEntry().getRequest().setMethod(Bundle.HTTPVerb.DELETE).setUrl("ImagingStudy?identifier=" + other),
          other, type == Bundle.BundleType.TRANSACTION ? 405 : 400);
      // a conditional reference inside a written resource
      DiagnosticReport report = report("alice", "alice-ct-chest");
      compare(chen, type,
          b -> write(b, Bundle.HTTPVerb.POST, "DiagnosticReport", report.copy().setImagingStudy(List.of(new Reference("ImagingStudy?identifier=" + uid)))),
          uid,
          b -> write(b, Bundle.HTTPVerb.POST, "DiagnosticReport", report.copy().setImagingStudy(List.of(new Reference("ImagingStudy?identifier=" + other)))),
          other, 400);
    }
  }

  /**
   * Sends the one-entry bundle {@code hidden} builds and the one {@code missing} builds; both must get
   * {@code status} (the whole transaction's, or the batch entry's) and the same answer.
   */
  private void compare(FhirHttp as, Bundle.BundleType type, java.util.function.Consumer<Bundle> hidden, String hiddenToken,
      java.util.function.Consumer<Bundle> missing, String missingToken, int status) {
    Bundle hiddenBundle = bundle(type);
    hidden.accept(hiddenBundle);
    Bundle missingBundle = bundle(type);
    missing.accept(missingBundle);
    FhirHttp.Response hiddenAnswer = post(as, hiddenBundle);
    FhirHttp.Response missingAnswer = post(as, missingBundle);
    if (type == Bundle.BundleType.TRANSACTION) {
      assertThat(hiddenAnswer.status()).as(hiddenAnswer.toString()).isEqualTo(status);
      sameAnswer(hiddenAnswer, hiddenToken, missingAnswer, missingToken);
    } else {
      assertThat(hiddenAnswer.status()).isEqualTo(200);
      Bundle.BundleEntryComponent entry = hiddenAnswer.bundle().getEntryFirstRep();
      assertThat(entry.getResponse().getStatus()).as(hiddenAnswer.toString()).startsWith(String.valueOf(status));
      sameEntry(entry, hiddenToken, missingAnswer.bundle().getEntryFirstRep(), missingToken);
    }
    assertThat(hiddenAnswer.body()).doesNotContain("Costa").doesNotContain("bruno-ct-chest-report");
  }

  @Test
  void everyBatchEntryIsAuditedWithItsOutcome() {
    String requestId = "batch-" + UUID.randomUUID();
    Bundle batch = bundle(Bundle.BundleType.BATCH);
    get(batch, "ImagingStudy/alice-ct-chest");
    get(batch, "ImagingStudy/bruno-ct-chest");
    get(batch, "DiagnosticReport?patient=bruno");
    assertThat(post(bruno(), batch, requestId).status()).isEqualTo(200);
    List<AuditEvent> events = eventsOf(requestId);
    assertThat(events).hasSize(3);
    assertThat(events).filteredOn(e -> e.getOutcome() != AuditEvent.AuditEventOutcome._0).hasSize(1)
        .allMatch(e -> "read".equals(e.getSubtypeFirstRep().getCode()));
    assertThat(events).filteredOn(e -> e.getOutcome() == AuditEvent.AuditEventOutcome._0)
        .extracting(e -> e.getSubtypeFirstRep().getCode()).containsExactlyInAnyOrder("read", "search-type");
  }

  @Test
  void aFailedTransactionIsAuditedPerEntryAsAFailure() {
    String patient = fixtures.patientTreatedByDrChen("batch-tx-audit");
    String study = studyOf(patient, "batch-tx-audit-study", "urn:oid:2.25.5173920461187705");
    Bundle tx = reportWithObservation(patient, study);
    write(tx, Bundle.HTTPVerb.PUT, "DiagnosticReport/bruno-ct-chest-report", report(patient, study).setId("bruno-ct-chest-report"));
    String requestId = "tx-" + UUID.randomUUID();
    assertThat(post(chen(), tx, requestId).status()).isEqualTo(403);
    List<AuditEvent> events = eventsOf(requestId);
    assertThat(events).hasSize(3).allMatch(e -> e.getOutcome() != AuditEvent.AuditEventOutcome._0);
  }

  @Test
  void malformedOversizedAndUntypedBundlesAre4xxWithAnOperationOutcome() {
    FhirHttp chen = chen();
    for (String body : List.of("{not json", "{\"resourceType\":\"Patient\"}", "{\"resourceType\":\"Bundle\",\"type\":\"collection\"}",
        "{\"resourceType\":\"Bundle\"}", "", "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[{\"request\":{\"method\":\"FROB\"}}]}")) {
      FhirHttp.Response response = chen.post("", FhirHttp.FHIR_JSON, body);
      assertThat(response.status()).as(body + " -> " + response).isEqualTo(400);
      assertThat(response.outcome().getIssueFirstRep().getDiagnostics()).isNotBlank();
      assertThat(response.body()).doesNotContain("at dev.custodian").doesNotContain("Exception");
    }
    Bundle big = bundle(Bundle.BundleType.BATCH);
    for (int i = 0; i <= 100; i++) {
      get(big, "Patient/alice");
    }
    FhirHttp.Response tooBig = post(chen, big);
    assertThat(tooBig.status()).as(tooBig.toString()).isEqualTo(413);
    assertThat(tooBig.outcome().getIssueFirstRep().getDiagnostics()).contains("at most 100");
    big.setType(Bundle.BundleType.TRANSACTION);
    assertThat(post(chen, big).status()).isEqualTo(413);
    // entries that are no requests fail one by one
    Bundle odd = bundle(Bundle.BundleType.BATCH);
    odd.addEntry().getRequest().setUrl("Patient/alice");
    get(odd, "http://elsewhere.example/fhir/Patient/alice");
    get(odd, "");
    get(odd, "Patient/alice");
    List<Bundle.BundleEntryComponent> entries = post(chen, odd).bundle().getEntry();
    assertThat(entries).extracting(e -> e.getResponse().getStatus().substring(0, 3)).containsExactly("400", "400", "400", "200");
  }

  /** The audit events recorded for the request with id {@code requestId}. */
  private List<AuditEvent> eventsOf(String requestId) {
    Bundle events = as("audit.gray", "user/AuditEvent.rs").get("AuditEvent?_count=200&_sort=-date").bundle();
    return events.getEntry().stream().map(e -> (AuditEvent) e.getResource())
        .filter(e -> fhirContext.newJsonParser().encodeResourceToString(e).contains(requestId)).toList();
  }

  /** An ImagingStudy of {@code patient}, stored by the system, for reports to refer to. */
  private String studyOf(String patient, String id, String uid) {
    ImagingStudy study = daos.getResourceDao(ImagingStudy.class)
        .read(new IdType("ImagingStudy/alice-ct-head"), new SystemRequestDetails());
    study.setId(id);
    study.setMeta(null);
    study.getIdentifierFirstRep().setValue(uid);
    study.setSubject(new Reference("Patient/" + patient));
    study.getEndpoint().clear();
    fixtures.store(study);
    return id;
  }

  /** A final report about {@code study} of {@code patient}, modelled on alice's CT head report. */
  private DiagnosticReport report(String patient, String study) {
    DiagnosticReport report = daos.getResourceDao(DiagnosticReport.class)
        .read(new IdType("DiagnosticReport/alice-ct-head-report"), new SystemRequestDetails());
    report.setId((String) null);
    report.setMeta(null);
    report.setSubject(new Reference("Patient/" + patient));
    report.getImagingStudy().clear();
    report.addImagingStudy(new Reference("ImagingStudy/" + study));
    report.getResult().clear();
    return report;
  }

  /** A transaction creating an Observation and a report whose result it is (placeholders). */
  private Bundle reportWithObservation(String patient, String study) {
    Bundle tx = bundle(Bundle.BundleType.TRANSACTION);
    Observation observation = new Observation();
    observation.setStatus(Observation.ObservationStatus.FINAL);
    observation.setCode(new CodeableConcept(new Coding("http://loinc.org", "18782-3", "Radiology Study observation")));
    observation.setSubject(new Reference("Patient/" + patient));
    observation.setValue(new org.hl7.fhir.r4.model.StringType("No acute findings"));
    write(tx, Bundle.HTTPVerb.POST, "Observation", observation).setFullUrl("urn:uuid:" + UUID.randomUUID());
    DiagnosticReport report = report(patient, study);
    report.addResult(new Reference(tx.getEntryFirstRep().getFullUrl()));
    write(tx, Bundle.HTTPVerb.POST, "DiagnosticReport", report).setFullUrl("urn:uuid:" + UUID.randomUUID());
    return tx;
  }
}
