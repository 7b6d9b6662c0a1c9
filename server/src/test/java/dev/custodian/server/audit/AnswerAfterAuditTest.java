package dev.custodian.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.server.support.AuditWriteBlocks;
import dev.custodian.server.support.FhirHttp;
import dev.custodian.server.support.ServerTestBase;
import dev.custodian.server.support.TestClients;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Nothing of a FHIR answer leaves before its audit record is committed, over real HTTP: the answer
 * waits while the commit waits, and is withheld (a 500 with nothing of the data, the request id still
 * echoed) when the record cannot be written, small answers and answers larger than the container's
 * response buffer alike; the chain has no gap afterwards.
 */
class AnswerAfterAuditTest extends ServerTestBase {

  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  /** Tomcat's default response buffer: an answer larger than this is sent in parts. */
  private static final int RESPONSE_BUFFER_BYTES = 8 * 1024;

  @Autowired JdbcTemplate authJdbcTemplate;

  @Test
  void anAnswerLeavesOnlyOnceItsRecordIsCommitted() throws Exception {
    String token = TestClients.accessToken(context, baseUrl(), "dr.chen", "user/*.rs");
    String requestId = "held-" + UUID.randomUUID();
    CompletableFuture<HttpResponse<InputStream>> answer;
    // another session holds the audit table: the commit of the record waits for it
    try (AuditWriteBlocks.Block held = AuditWriteBlocks.holdTable(authJdbcTemplate)) {
      answer = CLIENT.sendAsync(HttpRequest.newBuilder(URI.create(baseUrl() + "/fhir/ImagingStudy/alice-ct-chest"))
          .header("Authorization", "Bearer " + token).header("Accept", FhirHttp.FHIR_JSON)
          .header("X-Request-ID", requestId).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
      Thread.sleep(1500);
      // the future completes with the status line and headers: not even those have come
      assertThat(answer).as("an answer before its record is committed").isNotDone();
    }
    HttpResponse<InputStream> response = answer.get(30, TimeUnit.SECONDS);
    String body;
    try (InputStream in = response.body()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(body).contains("alice-ct-chest");
    assertThat(recordedWith(requestId, "ImagingStudy/alice-ct-chest")).isEqualTo(1);
  }

  @Test
  void anAnswerWhoseRecordCannotBeWrittenIsWithheldWhateverItsSize() {
    String patient = fixtures.patientTreatedByDrChen("withheld-" + UUID.randomUUID());
    String marker = "withheld-finding-" + UUID.randomUUID();
    Observation report = new Observation();
    report.setId(patient + "-large-note");
    report.setStatus(Observation.ObservationStatus.FINAL);
    report.getCode().setText("CT chest, reading notes");
    report.setSubject(new Reference("Patient/" + patient));
    // several times the response buffer: were the answer written before the record, its first parts
    // would leave before the end of the request
    report.setValue(new StringType((marker + " ").repeat(4 * RESPONSE_BUFFER_BYTES / marker.length())));
    fixtures.store(report);
    FhirHttp drChen = as("dr.chen", "user/*.rs");
    String large = "Observation/" + report.getIdElement().getIdPart();
    assertThat(drChen.get(large).body().length()).isGreaterThan(3 * RESPONSE_BUFFER_BYTES);

    // a trigger refuses audit inserts; it is gone when the block ends, whatever fails in it
    try (AuditWriteBlocks.Block refusing = AuditWriteBlocks.refuseInserts(authJdbcTemplate)) {
      for (String path : new String[] {large, "Patient/" + patient, "Observation?subject=Patient/" + patient}) {
        String requestId = "withheld-" + UUID.randomUUID();
        FhirHttp.Response refused = drChen.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/fhir/" + path))
            .header("Accept", FhirHttp.FHIR_JSON).header("X-Request-ID", requestId).GET());
        assertThat(refused.status()).as(path).isEqualTo(500);
        assertThat(refused.body()).as(path).doesNotContain(marker).doesNotContain(patient);
        assertThat(refused.outcome().getIssueFirstRep().getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
        assertThat(refused.outcome().getIssueFirstRep().getDiagnostics()).contains("audit record");
        assertThat(refused.header("X-Request-ID")).as("the request id is still echoed").isEqualTo(requestId);
        assertThat(refused.header("ETag")).as("no header of the withheld answer").isNull();
      }
    }

    // the writer goes on, and the chain has no gap where the refused records would have been
    String requestId = "after-" + UUID.randomUUID();
    FhirHttp.Response read = drChen.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/fhir/" + large))
        .header("Accept", FhirHttp.FHIR_JSON).header("X-Request-ID", requestId).GET());
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.body()).contains(marker);
    assertThat(recordedWith(requestId, large)).isEqualTo(1);
    Parameters verified = as("audit.gray", "user/AuditEvent.rs").get("$verify-audit-trail").resource(Parameters.class);
    assertThat(verified.getParameter("valid").getValue().primitiveValue())
        .as("%s", verified.getParameter("message") == null ? "" : verified.getParameter("message").getValue().primitiveValue())
        .isEqualTo("true");
  }

  /** How many audit events of reads of {@code entity} carry {@code requestId}. */
  private long recordedWith(String requestId, String entity) {
    Bundle events = as("audit.gray", "user/AuditEvent.rs")
        .get("AuditEvent?entity=" + entity + "&subtype=read&_count=50").bundle();
    return events.getEntry().stream().map(e -> (AuditEvent) e.getResource())
        .filter(e -> fhirContext.newJsonParser().encodeResourceToString(e).contains(requestId)).count();
  }
}
