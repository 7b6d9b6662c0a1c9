package dev.custodian.server.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.server.support.AuditWriteBlocks;
import dev.custodian.server.support.HttpAnswer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.Parameters;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Nothing of a DICOMweb answer leaves before its audit record is committed, over real HTTP: a
 * retrieval larger than any response buffer waits, status line and all, while its record's commit
 * waits; when the record cannot be written, retrievals, metadata and searches are answered 500 with a
 * reason and without a byte of the data; the chain has no gap afterwards.
 */
class DicomwebAnswerAfterAuditTest extends DicomwebTestBase {

  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final String MULTIPART_DICOM = "multipart/related; type=\"application/dicom\"";

  @Autowired JdbcTemplate authJdbcTemplate;

  @Test
  void aRetrievalLeavesOnlyOnceItsRecordIsCommitted() throws Exception {
    String chest = demoStudyUid("alice-ct-chest");
    String requestId = "held-wado-" + UUID.randomUUID();
    CompletableFuture<HttpResponse<InputStream>> answer;
    // another session holds the audit table: the commit of the record waits for it
    try (AuditWriteBlocks.Block held = AuditWriteBlocks.holdTable(authJdbcTemplate)) {
      answer = CLIENT.sendAsync(HttpRequest.newBuilder(URI.create(baseUrl() + "/dicomweb/studies/" + chest))
          .header("Authorization", "Bearer " + token("dr.chen", STAFF_SCOPES)).header("Accept", MULTIPART_DICOM)
          .header("X-Request-ID", requestId).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
      Thread.sleep(1500);
      // the future completes with the status line and headers: not even those have come
      assertThat(answer).as("a retrieval before its record is committed").isNotDone();
    }
    HttpResponse<InputStream> response = answer.get(30, TimeUnit.SECONDS);
    byte[] body;
    try (InputStream in = response.body()) {
      body = in.readAllBytes();
    }
    assertThat(response.statusCode()).isEqualTo(200);
    // six instances of 64 x 64 pixels: more than the 32 KB held back, so the record was written mid-answer
    assertThat(body.length).isGreaterThan(6 * 64 * 64 * 2);
    assertThat(occurrences(new String(body, StandardCharsets.ISO_8859_1), "DICM")).isEqualTo(6);
    assertThat(auditEventsOf(requestId)).as("one record of the retrieval").hasSize(1);
  }

  @Test
  void anAnswerWhoseRecordCannotBeWrittenIsWithheld() throws Exception {
    String chest = demoStudyUid("alice-ct-chest");
    DicomwebHttp drChen = drChen();
    assertThat(drChen.wado("studies/" + chest).parts()).hasSize(6);
    String[][] requests = {
        {"studies/" + chest, MULTIPART_DICOM},
        {"studies/" + chest + "/metadata", "application/dicom+json"},
        {"studies?PatientID=MRN-100001", "application/dicom+json"},
    };
    // a trigger refuses audit inserts; it is gone when the block ends, whatever fails in it
    try (AuditWriteBlocks.Block refusing = AuditWriteBlocks.refuseInserts(authJdbcTemplate)) {
      for (String[] request : requests) {
        String requestId = "withheld-wado-" + UUID.randomUUID();
        HttpAnswer refused = drChen.withRequestId(requestId).get(request[0], request[1]);
        assertThat(refused.status()).as(request[0]).isEqualTo(500);
        assertThat(refused.text()).as(request[0]).contains("audit record")
            .doesNotContain("DICM").doesNotContain("Martin").doesNotContain(chest).doesNotContain("Exception");
        assertThat(refused.header("X-Request-ID")).as("the request id is still echoed").isEqualTo(requestId);
      }
    }

    // the writer goes on, and the chain has no gap where the refused records would have been
    String requestId = "after-wado-" + UUID.randomUUID();
    assertThat(drChen.withRequestId(requestId).wado("studies/" + chest).parts()).hasSize(6);
    assertThat(auditEventsOf(requestId)).hasSize(1);
    Parameters verified = as("audit.gray", "user/AuditEvent.rs").get("$verify-audit-trail").resource(Parameters.class);
    assertThat(verified.getParameter("valid").getValue().primitiveValue())
        .as("%s", verified.getParameter("message") == null ? "" : verified.getParameter("message").getValue().primitiveValue())
        .isEqualTo("true");
  }

  private static int occurrences(String text, String part) {
    int count = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      count++;
    }
    return count;
  }
}
