package dev.custodian.server.policy;

import static dev.custodian.server.support.Visibility.assertLooksMissing;
import static dev.custodian.server.support.Visibility.ids;
import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.audit.AuditCodes;
import dev.custodian.policy.resource.ReviewQueue;
import dev.custodian.server.support.FhirHttp;
import dev.custodian.server.support.ServerTestBase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Break-the-glass on the real stack: {@code POST Patient/{id}/$break-the-glass} by a clinician with
 * no care relationship, with a purpose and a written reason, opens that patient's records for the
 * window — flagged, audited as emergency access, queued for the privacy officer's review — and
 * nothing else; without a reason nothing opens; after the window everything is closed again.
 */
public class BreakGlassTest extends ServerTestBase {

  static final String REVIEW_QUEUE = "Task?code=" + ReviewQueue.CODE_SYSTEM + "|" + ReviewQueue.BREAK_THE_GLASS_REVIEW;

  @Autowired JdbcTemplate authJdbcTemplate;

  private FhirHttp diaz() {
    return as("dr.diaz", "openid fhirUser user/*.rs");
  }

  private FhirHttp auditor() {
    return as("audit.gray", "openid fhirUser user/AuditEvent.rs user/Task.rus");
  }

  /** Other tests expect dr.diaz to see nobody: every grant made here ends with the test. */
  @AfterEach
  void endEveryGrant() {
    authJdbcTemplate.update("UPDATE custodian_break_glass_grant SET expires_at = granted_at + interval '1 millisecond'"
        + " WHERE expires_at > now()");
  }

  static Parameters request(String purpose, String reason) {
    Parameters parameters = new Parameters();
    if (purpose != null) {
      parameters.addParameter().setName("purpose").setValue(new CodeType(purpose));
    }
    if (reason != null) {
      parameters.addParameter().setName("reason").setValue(new StringType(reason));
    }
    return parameters;
  }

  public static FhirHttp.Response breakTheGlass(FhirHttp as, String patient, String purpose, String reason, String requestId) {
    return as.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/fhir/Patient/" + patient + "/$break-the-glass"))
        .header("Content-Type", FhirHttp.FHIR_JSON).header("Accept", FhirHttp.FHIR_JSON)
        .header("X-Request-ID", requestId)
        .POST(HttpRequest.BodyPublishers.ofString(as.json(request(purpose, reason)))));
  }

  private String grantFor(String patient, String purpose, String reason) {
    FhirHttp.Response response = breakTheGlass(diaz(), patient, purpose, reason, "btg-" + UUID.randomUUID());
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    return ((Identifier) response.resource(Parameters.class).getParameterValue("grant")).getValue();
  }

  private FhirHttp.Response readAs(FhirHttp as, String path, String requestId) {
    return as.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/fhir/" + path))
        .header("Accept", FhirHttp.FHIR_JSON).header("X-Request-ID", requestId).GET());
  }

  private List<AuditEvent> events(String query, String requestId) {
    Bundle bundle = auditor().get("AuditEvent?" + query + "&_count=200").bundle();
    return bundle.getEntry().stream().map(e -> (AuditEvent) e.getResource())
        .filter(e -> e.getEntity().stream().anyMatch(entity -> entity.getWhat().hasIdentifier()
            && requestId.equals(entity.getWhat().getIdentifier().getValue())))
        .toList();
  }

  private Task reviewItemOf(String grant) {
    Bundle queue = auditor().get(REVIEW_QUEUE + "&identifier=" + grant).bundle();
    assertThat(queue.getEntry()).as("one review item for grant %s", grant).hasSize(1);
    return (Task) queue.getEntryFirstRep().getResource();
  }

  @Test
  void withAReasonTheClinicianReadsThatPatientAuditedAsEmergencyAccessAndQueuedForReview() {
    FhirHttp diaz = diaz();
    assertThat(diaz.get("ImagingStudy/alice-ct-chest").status()).isEqualTo(404);

    String reason = "Unconscious in the ED after a fall, prior chest CT needed " + UUID.randomUUID();
    String declared = "declare-" + UUID.randomUUID();
    FhirHttp.Response response = breakTheGlass(diaz, "alice", "ETREAT", reason, declared);
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    Parameters answer = response.resource(Parameters.class);
    String grant = ((Identifier) answer.getParameterValue("grant")).getValue();
    assertThat(((org.hl7.fhir.r4.model.Reference) answer.getParameterValue("patient")).getReference())
        .isEqualTo("Patient/alice");
    assertThat(((CodeType) answer.getParameterValue("purpose")).getValue()).isEqualTo("ETREAT");
    assertThat(((StringType) answer.getParameterValue("reason")).getValue()).isEqualTo(reason);
    var start = ((InstantType) answer.getParameterValue("start")).getValue().toInstant();
    var end = ((InstantType) answer.getParameterValue("end")).getValue().toInstant();
    assertThat(Duration.between(start, end)).as("the default window").isEqualTo(Duration.ofMinutes(60));

    // the patient's studies and reports open, for reading
    String read = "read-" + UUID.randomUUID();
    assertThat(readAs(diaz, "ImagingStudy/alice-ct-chest", read).status()).isEqualTo(200);
    assertThat(diaz.get("DiagnosticReport/alice-ct-chest-report").status()).isEqualTo(200);
    assertThat(ids(diaz.get("DiagnosticReport?patient=alice").bundle())).contains("alice-ct-chest-report");
    assertThat(ids(diaz.get("ImagingStudy").bundle())).contains("alice-ct-chest").noneMatch(id -> id.startsWith("bruno"));
    // ...and nobody else's
    assertLooksMissing(diaz, "ImagingStudy/bruno-ct-chest", "ImagingStudy/no-such-study");
    assertLooksMissing(diaz, "Patient/bruno", "Patient/no-such-patient");

    // audited as emergency access: purpose, the written reason, flagged for review
    List<AuditEvent> reads = events("agent=Practitioner/dr.diaz&patient=alice&purpose=ETREAT", read);
    assertThat(reads).hasSize(1);
    assertEmergency(reads.get(0), reason);
    assertThat(reads.get(0).getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
    assertThat(reads.get(0).getEntity()).anyMatch(e -> "ImagingStudy/alice-ct-chest".equals(e.getWhat().getReference()));
    // ...and so is the declaration itself
    List<AuditEvent> declaration = events("agent=Practitioner/dr.diaz&patient=alice&subtype=operation", declared);
    assertThat(declaration).hasSize(1);
    assertEmergency(declaration.get(0), reason);

    // one item in the privacy officer's review queue
    Task review = reviewItemOf(grant);
    assertThat(review.getStatus()).isEqualTo(Task.TaskStatus.REQUESTED);
    assertThat(review.getIntent()).isEqualTo(Task.TaskIntent.ORDER);
    assertThat(review.getFor().getReference()).isEqualTo("Patient/alice");
    assertThat(review.getRequester().getReference()).isEqualTo("Practitioner/dr.diaz");
    assertThat(review.getOwner().getIdentifier().getValue()).isEqualTo("privacy-officer");
    assertThat(review.getReasonCode().getText()).isEqualTo(reason);
    assertThat(review.getReasonCode().getCodingFirstRep().getCode()).isEqualTo("ETREAT");
    assertThat(review.getNoteFirstRep().getText()).contains(reason);
    assertThat(review.getRestriction().getPeriod().getStart().toInstant()).isEqualTo(start);
    assertThat(review.getRestriction().getPeriod().getEnd().toInstant()).isEqualTo(end);
    assertThat(ids(auditor().get(REVIEW_QUEUE + "&status=requested").bundle())).contains(review.getIdPart());

    // the review item is internal: not the clinician's, not the patient's, not another clinician's
    String task = "Task/" + review.getIdPart();
    assertLooksMissing(diaz, task, "Task/no-such-task");
    assertThat(ids(diaz.get(REVIEW_QUEUE).bundle())).isEmpty();
    assertLooksMissing(asPatient("alice"), task, "Task/no-such-task");
    assertThat(ids(asPatient("alice").get("Task").bundle())).doesNotContain(review.getIdPart());
    assertLooksMissing(http, task, "Task/no-such-task");

    // the privacy officer completes the review with a note
    review.setStatus(Task.TaskStatus.COMPLETED);
    review.addNote().setText("Reviewed with the ED lead: genuine emergency, access appropriate.");
    FhirHttp.Response completed = auditor().update(review);
    assertThat(completed.status()).as(completed.toString()).isEqualTo(200);
    assertThat(reviewItemOf(grant).getStatus()).isEqualTo(Task.TaskStatus.COMPLETED);
    assertThat(ids(auditor().get(REVIEW_QUEUE + "&status=requested").bundle())).doesNotContain(review.getIdPart());
  }

  private static void assertEmergency(AuditEvent event, String reason) {
    assertThat(event.getPurposeOfEventFirstRep().getCodingFirstRep().getCode()).isEqualTo("ETREAT");
    assertThat(event.getMeta().getSecurity()).anyMatch(c -> "BTG".equals(c.getCode()));
    assertThat(((StringType) event.getExtensionByUrl(AuditCodes.EXT_BREAK_GLASS_REASON).getValue()).getValue())
        .isEqualTo(reason);
    assertThat(((BooleanType) event.getExtensionByUrl(AuditCodes.EXT_FLAGGED_FOR_REVIEW).getValue()).booleanValue())
        .isTrue();
    assertThat(event.getAgent()).anyMatch(a -> "Practitioner/dr.diaz".equals(a.getWho().getReference())
        && "ETREAT".equals(a.getPurposeOfUseFirstRep().getCodingFirstRep().getCode()));
  }

  @Test
  void withoutAWrittenReasonOrAnEmergencyPurposeNothingOpens() {
    FhirHttp diaz = diaz();
    Integer before = authJdbcTemplate.queryForObject("SELECT count(*) FROM custodian_break_glass_grant", Integer.class);
    for (Parameters bad : List.of(
        request("ETREAT", null),
        request("ETREAT", "   "),
        request("BTG", "too short"),
        request(null, "Unconscious in the ED after a fall"),
        request("TREAT", "Unconscious in the ED after a fall"),
        request("NOPE", "Unconscious in the ED after a fall"),
        request("BTG", "x".repeat(2001)))) {
      FhirHttp.Response response = diaz.post("Patient/alice/$break-the-glass", FhirHttp.FHIR_JSON, diaz.json(bad));
      assertThat(response.status()).as(response.toString()).isEqualTo(400);
      assertThat(response.outcome().getIssueFirstRep().getDiagnostics()).isNotBlank();
    }
    // a refused attempt is in the audit trail too, as a failure
    String refused = "refused-" + UUID.randomUUID();
    assertThat(breakTheGlass(diaz, "alice", "BTG", "too short", refused).status()).isEqualTo(400);
    List<AuditEvent> attempt = events("agent=Practitioner/dr.diaz&outcome=4", refused);
    assertThat(attempt).hasSize(1);
    assertThat(attempt.get(0).getOutcomeDesc()).contains("written reason").contains("Patient/alice");
    FhirHttp.Response notParameters = diaz.post("Patient/alice/$break-the-glass", FhirHttp.FHIR_JSON, "{\"resourceType\":");
    assertThat(notParameters.status()).as(notParameters.toString()).isEqualTo(400);
    assertThat(authJdbcTemplate.queryForObject("SELECT count(*) FROM custodian_break_glass_grant", Integer.class))
        .isEqualTo(before);
    assertLooksMissing(diaz, "ImagingStudy/alice-ct-chest", "ImagingStudy/no-such-study");
    assertThat(ids(diaz.get("DiagnosticReport").bundle())).isEmpty();
  }

  @Test
  void onlyCliniciansBreakTheGlassAndOnlyForAPatientThatExists() {
    String reason = "Unconscious in the ED after a fall";
    assertThat(breakTheGlass(asPatient("bruno"), "alice", "BTG", reason, "p-" + UUID.randomUUID()).status())
        .isEqualTo(403);
    assertThat(breakTheGlass(auditor(), "alice", "BTG", reason, "a-" + UUID.randomUUID()).status()).isEqualTo(403);
    assertThat(breakTheGlass(as("ops.fox", "openid fhirUser user/*.rs"), "alice", "BTG", reason,
        "o-" + UUID.randomUUID()).status()).isEqualTo(403);
    assertThat(breakTheGlass(new FhirHttp(PORT, fhirContext), "alice", "BTG", reason, "n-" + UUID.randomUUID())
        .status()).isEqualTo(401);
    FhirHttp.Response missing = breakTheGlass(diaz(), "no-such-patient", "BTG", reason, "m-" + UUID.randomUUID());
    assertThat(missing.status()).as(missing.toString()).isEqualTo(404);
    assertThat(missing.body()).contains("Patient/no-such-patient is not known");
    // a GET is not a way to break the glass
    assertThat(diaz().get("Patient/alice/$break-the-glass?purpose=BTG&reason=Unconscious%20in%20the%20ED").status())
        .isBetween(400, 499);
    assertThat(diaz().get("ImagingStudy/alice-ct-chest").status()).isEqualTo(404);
  }

  @Test
  void afterTheWindowTheRecordsCloseAgain() {
    FhirHttp diaz = diaz();
    String grant = grantFor("bruno", "BTG", "Trauma bay, CT from last month needed for comparison");
    assertThat(diaz.get("ImagingStudy/bruno-ct-chest").status()).isEqualTo(200);
    assertThat(ids(diaz.get("ImagingStudy?patient=bruno").bundle())).contains("bruno-ct-chest");

    // the window ends (as it would after the configured minutes)
    authJdbcTemplate.update("UPDATE custodian_break_glass_grant SET expires_at = now() WHERE id = ?::uuid", grant);

    assertLooksMissing(diaz, "ImagingStudy/bruno-ct-chest", "ImagingStudy/no-such-study");
    assertThat(ids(diaz.get("ImagingStudy?patient=bruno").bundle())).isEmpty();
    assertThat(diaz.get("DiagnosticReport/bruno-ct-chest-report").status()).isEqualTo(404);
  }

  @Test
  void aGrantOpensOneClinicianToOnePatient() {
    FhirHttp diaz = diaz();
    grantFor("alice", "ETREAT", "Unconscious in the ED after a fall, needs prior imaging");
    assertThat(diaz.get("ImagingStudy/alice-ct-chest").status()).isEqualTo(200);
    // dr.diaz's grant for alice does not open bruno
    assertLooksMissing(diaz, "ImagingStudy/bruno-ct-chest", "ImagingStudy/no-such-study");
    assertLooksMissing(diaz, "DiagnosticReport/bruno-ct-chest-report", "DiagnosticReport/no-such-report");
    // and another clinician, without a grant, gains nothing from it
    grantFor("bruno", "BTG", "Second casualty of the same accident");
    assertThat(diaz.get("ImagingStudy/bruno-ct-chest").status()).isEqualTo(200);
    assertLooksMissing(http, "ImagingStudy/bruno-ct-chest", "ImagingStudy/no-such-study");
    assertThat(ids(http.get("ImagingStudy?patient=bruno").bundle())).isEmpty();
    // reads only: an emergency does not let anyone change the record
    FhirHttp diazWriter = as("dr.diaz", "openid fhirUser user/*.cruds");
    org.hl7.fhir.r4.model.ImagingStudy study = diazWriter.get("ImagingStudy/alice-ct-chest")
        .resource(org.hl7.fhir.r4.model.ImagingStudy.class);
    study.setDescription("changed in an emergency");
    assertThat(diazWriter.update(study).status()).isEqualTo(403);
  }

  @Test
  void theReviewItemStaysAFaithfulRecord() {
    String grant = grantFor("alice", "BTG", "Unconscious in the ED after a fall, needs prior imaging");
    Task review = reviewItemOf(grant);
    FhirHttp auditor = auditor();

    Task rewritten = review.copy();
    rewritten.getReasonCode().setText("nothing to see here");
    assertRefused(auditor.update(rewritten), 422, "record of the emergency access");
    Task moved = review.copy();
    moved.getFor().setReference("Patient/bruno");
    assertRefused(auditor.update(moved), 422, "record of the emergency access");
    Task erased = review.copy();
    erased.getNote().clear();
    erased.addNote().setText("reviewed");
    assertRefused(auditor.update(erased), 422, "never changed");
    Task silent = review.copy();
    silent.setStatus(Task.TaskStatus.COMPLETED);
    assertRefused(auditor.update(silent), 422, "needs a note");
    Task cancelled = review.copy();
    cancelled.setStatus(Task.TaskStatus.CANCELLED);
    assertRefused(auditor.update(cancelled), 422, "requested, in-progress or completed");

    // nobody creates review items through the API, and the clinician cannot touch hers
    Task forged = review.copy();
    forged.setId((String) null);
    assertThat(auditor.create(forged).status()).isEqualTo(403);
    Task claimed = review.copy();
    claimed.setStatus(Task.TaskStatus.COMPLETED);
    claimed.addNote().setText("all fine, trust me");
    FhirHttp diazWriter = as("dr.diaz", "openid fhirUser user/*.cruds");
    assertThat(diazWriter.update(claimed).status()).isEqualTo(403);
    assertThat(diazWriter.create(forged).status()).isEqualTo(403);

    Task inProgress = review.copy();
    inProgress.setStatus(Task.TaskStatus.INPROGRESS);
    assertThat(auditor.update(inProgress).status()).isEqualTo(200);
    Task done = reviewItemOf(grant);
    done.setStatus(Task.TaskStatus.COMPLETED);
    done.addNote().setText("Access matched the ED record; no further action.");
    assertThat(auditor.update(done).status()).isEqualTo(200);
    Task reopened = reviewItemOf(grant);
    reopened.setStatus(Task.TaskStatus.REQUESTED);
    assertRefused(auditor.update(reopened), 422, "final");
  }

  private static void assertRefused(FhirHttp.Response response, int status, String saying) {
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    assertThat(response.outcome().getIssueFirstRep().getDiagnostics()).contains(saying);
  }
}
