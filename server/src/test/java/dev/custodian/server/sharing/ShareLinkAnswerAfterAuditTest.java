package dev.custodian.server.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.server.support.AuditWriteBlocks;
import dev.custodian.server.support.HttpAnswer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Parameters;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What the holder of a redeemed link is shown again, and the images it downloads, are recorded before
 * the first byte of the answer; when the record cannot be written, nothing of the records or images
 * is sent.
 */
class ShareLinkAnswerAfterAuditTest extends ShareLinkTestBase {

  @Autowired JdbcTemplate authJdbcTemplate;

  @Test
  void eachViewOfASessionIsRecordedWithWhatItShowed() {
    JsonNode created = link(alice(), chestCt().put("maxUses", 1));
    String id = created.get("id").asText();
    String session = redeem(created.get("url").asText(), null, true).json().get("session").asText();
    assertThat(viewed(session, "application/json").status()).isEqualTo(200);
    assertThat(viewed(session, "text/html").text()).contains("images.zip");

    List<AuditEvent> views = linkEvents(id, "view");
    assertThat(views).hasSize(2);
    for (AuditEvent view : views) {
      String json = fhirContext.newJsonParser().encodeResourceToString(view);
      assertThat(view.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
      assertThat(json).contains("Patient/alice", "ImagingStudy/alice-ct-chest", "PERMIT", "holder of a share link")
          .doesNotContain(session.substring(session.lastIndexOf('/') + 1));
      assertMeetsAuditEventProfile(view);
    }
    // alice sees the views in her access log
    Bundle log = asPatient("alice").get("Patient/alice/$access-log?count=200").bundle();
    assertThat(fhirContext.newJsonParser().encodeResourceToString(log)).contains("someone with your share link");
    assertThat(log.getEntry().stream().map(e -> (AuditEvent) e.getResource())
        .filter(e -> "view".equals(e.getSubtypeFirstRep().getCode())
            && ShareLinkEvents.SYSTEM.equals(e.getSubtypeFirstRep().getSystem()))).hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void whenTheRecordCannotBeWrittenNothingIsShownOrDownloaded() {
    JsonNode created = link(alice(), chestCt().put("maxUses", 1));
    String id = created.get("id").asText();
    String session = redeem(created.get("url").asText(), null, true).json().get("session").asText();
    try (AuditWriteBlocks.Block refusing = AuditWriteBlocks.refuseInserts(authJdbcTemplate)) {
      for (String accept : new String[] {"text/html", "application/json"}) {
        HttpAnswer refused = viewed(session, accept);
        assertThat(refused.status()).as(accept).isEqualTo(500);
        assertThat(refused.text()).as(accept).contains("could not be recorded, so nothing is shown");
        assertThat(refused.text()).as(accept).doesNotContain("alice-ct-chest", "Chest", "chest", "onclusion", "images.zip",
            "Exception", "at dev.");
      }
      HttpAnswer zip = get(session + "/images.zip", null);
      assertThat(zip.status()).isEqualTo(500);
      assertThat(zip.header("Content-Type")).doesNotContain("zip");
      assertThat(zip.text()).contains("could not be recorded");
      assertThat(zip.text()).doesNotStartWith("PK").doesNotContain("DICM", "Martin", "Exception");
    }
    assertThat(linkEvents(id, "view")).isEmpty();
    assertThat(linkEvents(id, "download")).isEmpty();

    // afterwards the session works again, and its records are complete
    HttpAnswer zip = get(session + "/images.zip", null);
    assertThat(zip.status()).isEqualTo(200);
    assertThat(zip.text()).startsWith("PK");
    assertThat(linkEvents(id, "download")).singleElement()
        .matches(event -> event.getOutcome() == AuditEvent.AuditEventOutcome._0);
    Parameters verified = as("audit.gray", "user/AuditEvent.rs").get("$verify-audit-trail").resource(Parameters.class);
    assertThat(verified.getParameter("valid").getValue().primitiveValue()).isEqualTo("true");
  }

  @Test
  void aListOfLinksIsRecordedBeforeItIsAnswered() {
    String id = link(alice(), chestCt()).get("id").asText();
    HttpAnswer listed = list(alice());
    assertThat(listed.status()).isEqualTo(200);
    assertThat(listed.text()).contains(id);
    // one event per patient whose links were listed, naming each link
    List<AuditEvent> lists = linkEvents(id, "list");
    assertThat(lists).hasSize(1);
    AuditEvent event = lists.get(0);
    assertThat(fhirContext.newJsonParser().encodeResourceToString(event)).contains("Patient/alice", id);
    assertThat(event.getAgentFirstRep().getWho().getReference()).isEqualTo("Patient/alice");
    assertMeetsAuditEventProfile(event);

    try (AuditWriteBlocks.Block refusing = AuditWriteBlocks.refuseInserts(authJdbcTemplate)) {
      HttpAnswer refused = list(alice());
      assertThat(refused.status()).isEqualTo(500);
      assertThat(refused.json().get("error").asText()).isEqualTo("not_recorded");
      assertThat(refused.text()).contains("could not be recorded").doesNotContain(id, "alice-ct-chest", "Exception");
    }
    assertThat(linkEvents(id, "list")).hasSize(1);
  }

  private static HttpAnswer viewed(String session, String accept) {
    return send(HttpRequest.newBuilder(URI.create(session)).header("Accept", accept)
        .header("X-Request-ID", "view-" + UUID.randomUUID()).GET());
  }

  /** The share-link events of this link with this subtype, as the auditor finds them. */
  private List<AuditEvent> linkEvents(String linkId, String subtype) {
    Bundle events = as("audit.gray", "user/AuditEvent.rs")
        .get("AuditEvent?subtype=" + ShareLinkEvents.SYSTEM + "%7C" + subtype + "&_count=200&_sort=-date").bundle();
    return events.getEntry().stream().map(e -> (AuditEvent) e.getResource())
        .filter(e -> fhirContext.newJsonParser().encodeResourceToString(e).contains(linkId)).toList();
  }
}
