package dev.custodian.server.requests;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import dev.custodian.policy.resource.ReviewQueue;
import dev.custodian.server.support.FhirHttp;
import dev.custodian.server.support.ServerTestBase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;

/**
 * Right-of-access requests for copies on the real stack: alice asks, HIM staff (him.hill) work the
 * queue, verify her identity, extend once, fulfil with a share link; nobody else sees or acts on her
 * requests, and she never sees the privacy officer's review items.
 */
class CopyRequestTest extends ServerTestBase {

  static final String PATIENT_SCOPES = "launch/patient patient/*.rs patient/Task.c";
  static final String HIM_SCOPES = "openid fhirUser user/Task.rus user/ImagingStudy.rs user/DiagnosticReport.rs user/Patient.rs";
  static final String COPY_CODE = "https://custodian.dev/fhir/CodeSystem/access-request|copy-request";

  private FhirHttp alice() {
    return as("alice", PATIENT_SCOPES);
  }

  private FhirHttp him() {
    return as("him.hill", HIM_SCOPES);
  }

  static String parameters(String... nameTypeValue) {
    StringBuilder json = new StringBuilder("{\"resourceType\":\"Parameters\",\"parameter\":[");
    for (int i = 0; i < nameTypeValue.length; i += 3) {
      if (i > 0) {
        json.append(',');
      }
      String value = nameTypeValue[i + 1].equals("valueReference")
          ? "{\"reference\":\"" + nameTypeValue[i + 2] + "\"}"
          : nameTypeValue[i + 1].equals("valueInteger") || nameTypeValue[i + 1].equals("valueBoolean")
              ? nameTypeValue[i + 2] : "\"" + nameTypeValue[i + 2] + "\"";
      json.append("{\"name\":\"").append(nameTypeValue[i]).append("\",\"").append(nameTypeValue[i + 1])
          .append("\":").append(value).append('}');
    }
    return json.append("]}").toString();
  }

  static FhirHttp.Response operation(FhirHttp as, String path, String... nameTypeValue) {
    return as.post(path, FhirHttp.FHIR_JSON, parameters(nameTypeValue));
  }

  private Task request(String... records) {
    String[] params = new String[records.length * 3 + 3];
    for (int i = 0; i < records.length; i++) {
      params[i * 3] = "record";
      params[i * 3 + 1] = "valueReference";
      params[i * 3 + 2] = records[i];
    }
    params[records.length * 3] = "delivery";
    params[records.length * 3 + 1] = "valueCode";
    params[records.length * 3 + 2] = "share-link";
    FhirHttp.Response response = operation(alice(), "Patient/alice/$request-copies", params);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.resource(Task.class);
  }

  private static List<String> records(Task task) {
    return CopyRequestTask.records(task);
  }

  private static String output(Task task, String code) {
    return task.getOutput().stream()
        .filter(o -> o.getType().getCoding().stream().anyMatch(c -> code.equals(c.getCode())))
        .map(o -> o.getValue().primitiveValue()).findFirst().orElse(null);
  }

  @Test
  void fromRequestToFulfilment() {
    Task asked = request("ImagingStudy/alice-ct-chest");
    String id = asked.getIdElement().getIdPart();
    assertThat(asked.getStatus()).isEqualTo(Task.TaskStatus.REQUESTED);
    assertThat(asked.getFor().getReference()).isEqualTo("Patient/alice");
    assertThat(asked.getRequester().getReference()).isEqualTo("Patient/alice");
    assertThat(records(asked)).containsExactlyInAnyOrder("ImagingStudy/alice-ct-chest", "DiagnosticReport/alice-ct-chest-report");
    assertThat(Duration.between(asked.getAuthoredOn().toInstant(), asked.getRestriction().getPeriod().getEnd().toInstant()))
        .isEqualTo(Duration.ofDays(30));

    // HIM sees it in the queue, soonest due first
    Bundle queue = him().get("Task/$access-request-queue").bundle();
    assertThat(queue.getEntry()).anyMatch(e -> e.getResource().getIdElement().getIdPart().equals(id));
    List<Instant> dues = queue.getEntry().stream()
        .map(e -> ((Task) e.getResource()).getRestriction().getPeriod().getEnd().toInstant()).toList();
    assertThat(dues).isSorted();

    // before anything, HIM staff may not read alice's study whole (operations set only) — and cannot fulfil
    FhirHttp.Response early = operation(him(), "Task/" + id + "/$fulfil");
    assertThat(early.status()).as(early.body()).isEqualTo(422);
    assertThat(early.body()).contains("Verify the patient's identity");

    FhirHttp.Response verified = operation(him(), "Task/" + id + "/$verify-identity",
        "method", "valueString", "Photo ID checked at the front desk");
    assertThat(verified.status()).as(verified.body()).isEqualTo(200);
    assertThat(verified.resource(Task.class).getStatus()).isEqualTo(Task.TaskStatus.ACCEPTED);

    FhirHttp.Response fulfilled = operation(him(), "Task/" + id + "/$fulfil");
    assertThat(fulfilled.status()).as(fulfilled.body()).isEqualTo(200);
    Task done = fulfilled.resource(Task.class);
    assertThat(done.getStatus()).isEqualTo(Task.TaskStatus.COMPLETED);
    String linkId = output(done, CopyRequestTask.SHARE_LINK_ID);
    assertThat(java.util.UUID.fromString(linkId)).isNotNull();
    assertThat(output(done, CopyRequestTask.LINK_EXPIRES)).isNotNull();
    assertThat(fhirContext.newJsonParser().encodeResourceToString(done)).doesNotContain("/share/");

    // alice sees the status and the link, on the request and in the list of her requests
    FhirHttp.Response mine = alice().get("Task?code=" + COPY_CODE + "&_count=200");
    assertThat(mine.status()).as(mine.body()).isEqualTo(200);
    assertThat(mine.bundle().getEntry()).anyMatch(e -> e.getResource().getIdElement().getIdPart().equals(id)
        && ((Task) e.getResource()).getStatus() == Task.TaskStatus.COMPLETED);
    FhirHttp.Response seen = alice().get("Task/" + id);
    assertThat(seen.status()).as(seen.body()).isEqualTo(200);
    Task hers = seen.resource(Task.class);
    assertThat(hers.getStatus()).isEqualTo(Task.TaskStatus.COMPLETED);
    assertThat(output(hers, CopyRequestTask.SHARE_LINK_ID)).isEqualTo(linkId);
    assertThat(output(hers, CopyRequestTask.LINK_EXPIRES)).isEqualTo(output(done, CopyRequestTask.LINK_EXPIRES));
    assertThat(hers.getExtensionByUrl(CopyRequestTask.EXT_IDENTITY)).isNotNull();

    // no Task in the database holds a share link's URL (its token), in any version
    List<String> stored = new java.util.ArrayList<>();
    daos.getResourceDao(Task.class).search(ca.uhn.fhir.jpa.searchparam.SearchParameterMap.newSynchronous(),
        new SystemRequestDetails()).getAllResources()
        .forEach(t -> stored.add(fhirContext.newJsonParser().encodeResourceToString(t)));
    daos.getResourceDao(Task.class).history(new org.hl7.fhir.r4.model.IdType("Task", id), null, null, null,
        new SystemRequestDetails()).getAllResources()
        .forEach(t -> stored.add(fhirContext.newJsonParser().encodeResourceToString(t)));
    assertThat(stored).hasSizeGreaterThan(1).allSatisfy(json -> assertThat(json).doesNotContain("/share/"));

    // HIM staff created the link but may not reissue it (only alice may); bruno neither: 404 like a missing link
    String himToken = token("him.hill", HIM_SCOPES);
    HttpResponse<String> byHim = reissue(himToken, linkId);
    assertThat(byHim.statusCode()).as(byHim.body()).isEqualTo(404);
    HttpResponse<String> byBruno = reissue(token("bruno", "launch/patient patient/*.rs"), linkId);
    assertThat(byBruno.statusCode()).as(byBruno.body()).isEqualTo(404);
    assertThat(byBruno.body()).isEqualTo(reissue(token("alice", PATIENT_SCOPES), java.util.UUID.randomUUID().toString()).body());
    assertThat(reissue(token("alice", PATIENT_SCOPES), "not-a-link-id").statusCode()).isEqualTo(400);

    // alice obtains the URL by reissuing the link with her own token; a second reissue kills the first URL
    String first = reissuedUrl(linkId);
    String link = reissuedUrl(linkId);
    assertThat(link).isNotEqualTo(first);
    assertThat(openLink(first).statusCode()).isEqualTo(410);

    // the link delivers: opening it once works (a session with her chest CT), a second time it is used up
    HttpResponse<String> opened = openLink(link);
    assertThat(opened.statusCode()).as(opened.body()).isEqualTo(200);
    assertThat(opened.body()).contains("session");
    assertThat(openLink(link).statusCode()).isEqualTo(410);
    // a used-up link is not reissued: 404 as for one that does not exist
    assertThat(reissue(token("alice", PATIENT_SCOPES), linkId).statusCode()).isEqualTo(404);

    // a completed request is out of the queue and cannot be fulfilled twice
    assertThat(him().get("Task/$access-request-queue").bundle().getEntry())
        .noneMatch(e -> e.getResource().getIdElement().getIdPart().equals(id));
    assertThat(operation(him(), "Task/" + id + "/$fulfil").status()).isEqualTo(422);

    // every step shows in her access log, with who did it
    List<AuditEvent> log = alice().get("Patient/alice/$access-log?count=200").bundle().getEntry().stream()
        .map(e -> (AuditEvent) e.getResource()).toList();
    assertThat(log).filteredOn(e -> e.getAgent().stream().anyMatch(a -> "Harper Hill".equals(a.getWho().getDisplay())))
        .filteredOn(e -> e.getEntity().stream().anyMatch(en -> ("Task/" + id).equals(en.getWhat().getReference())))
        .hasSizeGreaterThanOrEqualTo(2); // verification, fulfilment (and the queue)
    assertThat(log).anyMatch(e -> e.getAgent().stream().anyMatch(a -> "Harper Hill".equals(a.getWho().getDisplay()))
        && e.getEntity().stream().anyMatch(en -> "ImagingStudy/alice-ct-chest".equals(en.getWhat().getReference())));
  }

  private String token(String username, String scopes) {
    return dev.custodian.server.support.TestClients.accessToken(context, baseUrl(), username, scopes);
  }

  /** {@code POST /api/share-links/{id}/reissue} with {@code token}. */
  private static HttpResponse<String> reissue(String token, String linkId) {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create(baseUrl() + "/api/share-links/" + linkId + "/reissue")).header("Authorization", "Bearer " + token)
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** alice reissues her link: the fresh URL, shown this once. */
  private String reissuedUrl(String linkId) {
    HttpResponse<String> answer = reissue(token("alice", PATIENT_SCOPES), linkId);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    try {
      com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.body());
      assertThat(json.path("id").asText()).isEqualTo(linkId);
      assertThat(json.path("state").asText()).isEqualTo("active");
      String url = json.path("url").asText();
      assertThat(url).startsWith(baseUrl() + "/share/");
      return url;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new AssertionError(answer.body(), e);
    }
  }

  /** Opens (redeems) a share link as a browser asking for JSON would. */
  private static HttpResponse<String> openLink(String url) {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
          .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("")).build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void allCtImagingNamesEveryStudyAndReportOnRecordAndMailedMediaNeedsNoLink() {
    FhirHttp.Response response = operation(alice(), "Patient/alice/$request-copies",
        "allCtImaging", "valueBoolean", "true", "delivery", "valueCode", "mailed-media");
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    Task task = response.resource(Task.class);
    assertThat(records(task)).contains("ImagingStudy/alice-ct-chest", "ImagingStudy/alice-ct-head",
        "DiagnosticReport/alice-ct-chest-report", "DiagnosticReport/alice-ct-head-report");
    assertThat(records(task)).noneMatch(r -> r.contains("bruno"));
    String id = task.getIdElement().getIdPart();
    operation(him(), "Task/" + id + "/$verify-identity", "method", "valueString", "Identity confirmed by phone callback");
    FhirHttp.Response done = operation(him(), "Task/" + id + "/$fulfil", "note", "valueString", "CD mailed by tracked post");
    assertThat(done.status()).as(done.body()).isEqualTo(200);
    assertThat(output(done.resource(Task.class), CopyRequestTask.DELIVERED)).isEqualTo("CD mailed by tracked post");
    assertThat(output(done.resource(Task.class), CopyRequestTask.SHARE_LINK_ID)).isNull();
  }

  @Test
  void anOverdueRequestIsFlaggedAndComesFirst() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Task old = CopyRequestTask.create("Patient/bruno", "Patient/bruno", List.of("ImagingStudy/bruno-ct-chest"), false,
        Delivery.PICKUP, now.minus(Duration.ofDays(40)), now.minus(Duration.ofDays(10)));
    String overdue = daos.getResourceDao(Task.class).create(old, new SystemRequestDetails()).getId().getIdPart();
    String fresh = request("ImagingStudy/alice-ct-head").getIdElement().getIdPart();

    Bundle queue = him().get("Task/$access-request-queue").bundle();
    List<String> order = queue.getEntry().stream().map(e -> e.getResource().getIdElement().getIdPart()).toList();
    assertThat(order.indexOf(overdue)).isNotNegative().isLessThan(order.indexOf(fresh));
    assertThat(flag(queue, overdue)).isTrue();
    assertThat(flag(queue, fresh)).isFalse();

    // past its due date it can no longer be extended
    FhirHttp.Response late = operation(him(), "Task/" + overdue + "/$extend",
        "days", "valueInteger", "10", "reason", "valueString", "Archive retrieval delayed");
    assertThat(late.status()).as(late.body()).isEqualTo(422);
  }

  private static boolean flag(Bundle queue, String id) {
    return queue.getEntry().stream().filter(e -> e.getResource().getIdElement().getIdPart().equals(id)).findFirst()
        .map(e -> ((BooleanType) e.getExtensionByUrl(AccessRequestQueueOperation.EXT_OVERDUE).getValue()).booleanValue())
        .orElseThrow();
  }

  @Test
  void oneExtensionOfAtMostThirtyDaysWithAReasonThePatientSees() {
    Task asked = request("DiagnosticReport/alice-ct-head-report");
    String id = asked.getIdElement().getIdPart();
    assertThat(records(asked)).contains("ImagingStudy/alice-ct-head", "DiagnosticReport/alice-ct-head-report");
    Instant due = asked.getRestriction().getPeriod().getEnd().toInstant();

    assertThat(operation(him(), "Task/" + id + "/$extend", "days", "valueInteger", "31",
        "reason", "valueString", "Images are in the offsite archive").status()).isEqualTo(400);
    assertThat(operation(him(), "Task/" + id + "/$extend", "days", "valueInteger", "10").status()).isEqualTo(400);
    assertThat(operation(him(), "Task/" + id + "/$extend", "days", "valueInteger", "10",
        "reason", "valueString", "short").status()).isEqualTo(400);

    String reason = "Images are in the offsite archive and need 2 weeks to restore";
    FhirHttp.Response extended = operation(him(), "Task/" + id + "/$extend",
        "days", "valueInteger", "14", "reason", "valueString", reason);
    assertThat(extended.status()).as(extended.body()).isEqualTo(200);
    assertThat(extended.resource(Task.class).getRestriction().getPeriod().getEnd().toInstant())
        .isEqualTo(due.plus(Duration.ofDays(14)));

    Task hers = alice().get("Task/" + id).resource(Task.class);
    assertThat(hers.getRestriction().getPeriod().getEnd().toInstant()).isEqualTo(due.plus(Duration.ofDays(14)));
    assertThat(hers.getNote()).anyMatch(n -> n.getText().contains(reason));
    assertThat(hers.getExtensionByUrl(CopyRequestTask.EXT_EXTENSION).getExtensionByUrl("reason").getValue()
        .primitiveValue()).isEqualTo(reason);

    FhirHttp.Response again = operation(him(), "Task/" + id + "/$extend",
        "days", "valueInteger", "5", "reason", "valueString", "Still waiting for the archive");
    assertThat(again.status()).as(again.body()).isEqualTo(422);
    assertThat(again.outcome().getIssueFirstRep().getDiagnostics()).contains("one extension");
  }

  @Test
  void twoStaffExtendingAtOnceExtendItOnce() throws Exception {
    String id = request("ImagingStudy/alice-ct-head").getIdElement().getIdPart();
    FhirHttp him = him();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
      for (int i = 0; i < 4; i++) {
        int days = 5 + i;
        answers.add(pool.submit(() -> operation(him, "Task/" + id + "/$extend", "days", "valueInteger",
            String.valueOf(days), "reason", "valueString", "Archive retrieval, attempt " + days).status()));
      }
      List<Integer> statuses = new java.util.ArrayList<>();
      for (java.util.concurrent.Future<Integer> answer : answers) {
        statuses.add(answer.get());
      }
      assertThat(statuses).containsOnlyOnce(200);
      assertThat(statuses).allMatch(status -> status == 200 || status == 409 || status == 422);
    } finally {
      pool.shutdownNow();
    }
    Task stored = alice().get("Task/" + id).resource(Task.class);
    assertThat(stored.getExtensionsByUrl(CopyRequestTask.EXT_EXTENSION)).hasSize(1);
    assertThat(stored.getNote()).hasSize(1);
  }

  @Test
  void aRejectionNeedsAReasonThePatientReads() {
    String id = request("ImagingStudy/alice-ct-head").getIdElement().getIdPart();
    assertThat(operation(him(), "Task/" + id + "/$reject").status()).isEqualTo(400);
    String reason = "The requested study was performed at another facility";
    FhirHttp.Response rejected = operation(him(), "Task/" + id + "/$reject", "reason", "valueString", reason);
    assertThat(rejected.status()).as(rejected.body()).isEqualTo(200);
    Task hers = alice().get("Task/" + id).resource(Task.class);
    assertThat(hers.getStatus()).isEqualTo(Task.TaskStatus.REJECTED);
    assertThat(hers.getStatusReason().getText()).isEqualTo(reason);
    assertThat(operation(him(), "Task/" + id + "/$reject", "reason", "valueString", reason).status()).isEqualTo(422);
    assertThat(operation(him(), "Task/" + id + "/$fulfil").status()).isEqualTo(422);
    assertThat(him().get("Task/$access-request-queue").bundle().getEntry())
        .noneMatch(e -> e.getResource().getIdElement().getIdPart().equals(id));
  }

  @Test
  void brunoCannotSeeOrActOnAlicesRequests() {
    String id = request("ImagingStudy/alice-ct-chest").getIdElement().getIdPart();
    FhirHttp bruno = as("bruno", PATIENT_SCOPES);
    FhirHttp.Response hidden = bruno.get("Task/" + id);
    FhirHttp.Response missing = bruno.get("Task/no-such-request");
    assertThat(hidden.status()).isEqualTo(404).isEqualTo(missing.status());
    assertThat(hidden.body().replace(id, "X")).isEqualTo(missing.body().replace("no-such-request", "X"));
    FhirHttp.Response search = bruno.get("Task?code=" + COPY_CODE);
    assertThat(search.status()).as(search.body()).isEqualTo(200);
    assertThat(search.body()).doesNotContain(id);
    assertThat(operation(bruno, "Patient/alice/$request-copies", "record", "valueReference",
        "ImagingStudy/alice-ct-chest", "delivery", "valueCode", "pickup").status()).isEqualTo(404);
    assertThat(operation(bruno, "Task/" + id + "/$verify-identity", "method", "valueString", "Photo ID checked")
        .status()).isEqualTo(404);
    // naming alice's study in his own request answers exactly as naming one that does not exist
    FhirHttp.Response hers = operation(bruno, "Patient/bruno/$request-copies",
        "record", "valueReference", "ImagingStudy/alice-ct-chest", "delivery", "valueCode", "pickup");
    FhirHttp.Response none = operation(bruno, "Patient/bruno/$request-copies",
        "record", "valueReference", "ImagingStudy/no-such-study", "delivery", "valueCode", "pickup");
    assertThat(hers.status()).isEqualTo(400).isEqualTo(none.status());
    assertThat(hers.body().replace("alice-ct-chest", "X")).isEqualTo(none.body().replace("no-such-study", "X"));
  }

  @Test
  void aClinicianWhoTreatsAliceSeesNeitherHerRequestsNorTheQueue() {
    String id = request("ImagingStudy/alice-ct-chest").getIdElement().getIdPart();
    FhirHttp chen = as("dr.chen", "openid fhirUser user/*.cruds");
    assertThat(chen.get("Task/" + id).status()).isEqualTo(404);
    assertThat(chen.get("Task?code=" + COPY_CODE).bundle().getEntry()).isEmpty();
    assertThat(chen.get("Task/$access-request-queue").status()).isEqualTo(403);
    assertThat(operation(chen, "Task/" + id + "/$fulfil").status()).isEqualTo(404);
    assertThat(operation(chen, "Patient/alice/$request-copies", "allCtImaging", "valueBoolean", "true",
        "delivery", "valueCode", "pickup").status()).isEqualTo(403);
    // nor does alice work her own request, nor an auditor the queue
    assertThat(operation(alice(), "Task/" + id + "/$verify-identity", "method", "valueString", "I am really me")
        .status()).isEqualTo(403);
    assertThat(alice().get("Task/$access-request-queue").status()).isEqualTo(403);
    assertThat(as("audit.gray", "openid fhirUser user/Task.rus").get("Task/$access-request-queue").status()).isEqualTo(403);
    assertThat(as("audit.gray", "openid fhirUser user/Task.rus").get("Task/" + id).status()).isEqualTo(404);
    // and nobody writes a request through the REST API
    Task forged = alice().get("Task/" + id).resource(Task.class);
    forged.setStatus(Task.TaskStatus.COMPLETED);
    assertThat(him().update(forged).status()).isIn(403, 404);
  }

  @Test
  void thePatientNeverSeesTheReviewQueueTasksAboutHer() {
    Task review = new Task();
    review.setStatus(Task.TaskStatus.REQUESTED);
    review.setIntent(Task.TaskIntent.ORDER);
    review.setCode(new CodeableConcept(new Coding(ReviewQueue.CODE_SYSTEM, ReviewQueue.BREAK_THE_GLASS_REVIEW, null)));
    review.setFor(new Reference("Patient/alice"));
    String id = fixtures.store(review).getIdPart();
    FhirHttp alice = alice();
    assertThat(alice.get("Task/" + id).status()).isEqualTo(404);
    FhirHttp.Response search = alice.get("Task?patient=alice");
    assertThat(search.status()).as(search.body()).isEqualTo(200);
    assertThat(search.body()).doesNotContain(id);
    assertThat(him().get("Task/" + id).status()).isEqualTo(404);
  }

  @Test
  void badInputIsA4xxWithAnOperationOutcome() {
    FhirHttp alice = alice();
    FhirHttp.Response noDelivery = operation(alice, "Patient/alice/$request-copies",
        "record", "valueReference", "ImagingStudy/alice-ct-chest");
    assertThat(noDelivery.status()).isEqualTo(400);
    assertThat(noDelivery.outcome().getIssueFirstRep().getDiagnostics()).contains("delivery");
    assertThat(operation(alice, "Patient/alice/$request-copies", "record", "valueReference",
        "ImagingStudy/alice-ct-chest", "delivery", "valueCode", "carrier-pigeon").status()).isEqualTo(400);
    assertThat(operation(alice, "Patient/alice/$request-copies", "delivery", "valueCode", "pickup").status())
        .isEqualTo(400);
    FhirHttp.Response malformed = alice.post("Patient/alice/$request-copies", FhirHttp.FHIR_JSON, "{\"resourceType\":");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.body()).contains("OperationOutcome");
    FhirHttp.Response noScope = operation(as("alice", "launch/patient patient/*.rs"), "Patient/alice/$request-copies",
        "allCtImaging", "valueBoolean", "true", "delivery", "valueCode", "pickup");
    assertThat(noScope.status()).isEqualTo(403);
    assertThat(operation(him(), "Task/no-such-request/$verify-identity", "method", "valueString", "Photo ID checked")
        .status()).isEqualTo(404);
  }
}
