package dev.custodian.server.sharing;

import dev.custodian.server.support.HttpAnswer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The share-link life cycle over real HTTP: create, open, redeem, use up, expire, revoke, PIN lockout. */
class ShareLinkTest extends ShareLinkTestBase {

  @Test
  void aOneTimeLinkRedeemsOnceAndThenAnswers410() {
    JsonNode created = link(alice(), chestCt().put("recipientLabel", "Dr. Osei, second opinion"));
    String url = created.get("url").asText();
    assertThat(url).startsWith(baseUrl() + "/share/");
    String token = url.substring(url.lastIndexOf('/') + 1);
    assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]+");
    assertThat(created.get("maxUses").asInt()).isEqualTo(1);
    assertThat(created.get("shared").toString()).contains("ImagingStudy/alice-ct-chest", "DiagnosticReport/alice-ct-chest-report");

    // opening the page uses nothing
    HttpAnswer page = get(url, "text/html");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.text()).contains("<form method=\"post\">").doesNotContain("<script", "alice");
    assertThat(get(url, "text/html").status()).isEqualTo(200);

    HttpAnswer redeemed = redeem(url, null, true);
    assertThat(redeemed.status()).as(redeemed.toString()).isEqualTo(200);
    JsonNode shared = redeemed.json();
    assertThat(shared.get("studies")).hasSize(1);
    assertThat(shared.get("studies").get(0).get("reference").asText()).isEqualTo("ImagingStudy/alice-ct-chest");
    assertThat(shared.get("studies").get(0).get("bodyParts").asText()).isNotBlank();
    assertThat(shared.get("reports")).hasSize(1);
    assertThat(shared.get("reports").get(0).get("conclusion").asText()).isNotBlank();
    assertThat(shared.get("recipientLabel").asText()).isEqualTo("Dr. Osei, second opinion");
    String session = shared.get("session").asText();
    assertThat(session).startsWith(baseUrl() + "/share/s/").doesNotContain(token);

    // the second redemption is refused, and so is the page; the session keeps working
    assertGone(redeem(url, null, false));
    assertGone(redeem(url, null, true));
    assertGone(get(url, "text/html"));
    HttpAnswer again = get(session, "text/html");
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.text()).contains("Dr. Osei, second opinion", "images.zip").doesNotContain("<script");

    JsonNode listed = find(list(alice()).json(), created.get("id").asText());
    assertThat(listed.get("uses").asInt()).isEqualTo(1);
    assertThat(listed.get("state").asText()).isEqualTo("used-up");
    assertThat(listed.toString()).doesNotContain(token);
  }

  @Test
  void theSharePagesSendStrictHeaders() {
    String url = link(alice(), chestCt()).get("url").asText();
    for (HttpAnswer answer : List.of(get(url, "text/html"), redeem(url, null, false), get(url, "text/html"),
        get(baseUrl() + "/share/not-a-token", null))) {
      assertThat(answer.header("Content-Security-Policy")).as(answer.toString())
          .isEqualTo("default-src 'none'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
      assertThat(answer.header("Referrer-Policy")).isEqualTo("no-referrer");
      assertThat(answer.header("Cache-Control")).contains("no-store");
      assertThat(answer.header("X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(answer.header("X-Frame-Options")).isEqualTo("DENY");
      assertThat(answer.header("Set-Cookie")).isNull();
      assertThat(answer.text()).doesNotContain("<script", "src=", "<link", "<iframe", "<img", "style").contains("<!DOCTYPE html>");
    }
  }

  @Test
  void whatTheOwnerTypedIsEscapedOnThePage() {
    String url = link(alice(), chestCt().put("recipientLabel", "<script>alert(1)</script> & \"Dr. O'Neil\"")).get("url").asText();
    HttpAnswer page = redeem(url, null, false);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.text()).contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Dr. O&#39;Neil&quot;")
        .doesNotContain("<script");
  }

  @Test
  void anExpiredLinkAnswers410() throws InterruptedException {
    String url = link(alice(), chestCt().put("expiresIn", "PT2S").put("maxUses", 3)).get("url").asText();
    JsonNode first = redeem(url, null, true).json();
    Thread.sleep(2500);
    assertGone(get(url, "text/html"));
    assertGone(redeem(url, null, true));
    assertGone(get(first.get("session").asText(), "application/json"));
    assertGone(get(first.get("images").asText(), null));
  }

  @Test
  void revocationStopsTheLinkAndItsSessionsAtOnce() {
    JsonNode created = link(alice(), chestCt().put("maxUses", 5));
    String url = created.get("url").asText();
    String session = redeem(url, null, true).json().get("session").asText();
    assertThat(get(session, "application/json").status()).isEqualTo(200);

    // only the owner revokes: bruno's attempt answers like a link that does not exist
    HttpAnswer notHis = revoke(token("bruno", PATIENT_SCOPES), created.get("id").asText());
    assertThat(notHis.status()).isEqualTo(404);
    assertThat(revoke(token("bruno", PATIENT_SCOPES), "00000000-0000-0000-0000-000000000000").text()).isEqualTo(notHis.text());
    assertThat(get(session, "application/json").status()).isEqualTo(200);

    HttpAnswer revoked = revoke(alice(), created.get("id").asText());
    assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
    assertThat(revoked.json().get("state").asText()).isEqualTo("revoked");
    assertGone(get(session, "application/json"));
    assertGone(get(session + "/images.zip", null));
    assertGone(get(session + "/dicomweb/studies", "application/dicom+json"));
    assertGone(redeem(url, null, true));
    assertThat(find(list(alice()).json(), created.get("id").asText()).get("state").asText()).isEqualTo("revoked");
  }

  @Test
  void wrongPinsBurnTheLink() {
    String url = link(alice(), chestCt().put("pin", "4711").put("maxUses", 2)).get("url").asText();
    HttpAnswer page = get(url, "text/html");
    assertThat(page.text()).contains("name=\"pin\"");
    assertThat(redeem(url, null, true).status()).isEqualTo(400);
    for (int attempt = 1; attempt <= 4; attempt++) {
      HttpAnswer wrong = redeem(url, "0000", false);
      assertThat(wrong.status()).as("attempt " + attempt).isEqualTo(403);
      assertThat(wrong.text()).contains("The PIN was not right").doesNotContain("alice", "onclusion");
    }
    assertGone(redeem(url, "1234", true));
    assertGone(redeem(url, "4711", true));
    assertGone(get(url, "text/html"));
  }

  @Test
  void theRightPinRedeems() {
    String url = link(alice(), chestCt().put("pin", "4711")).get("url").asText();
    assertThat(redeem(url, "0000", true).status()).isEqualTo(403);
    HttpAnswer redeemed = redeem(url, "4711", true);
    assertThat(redeemed.status()).as(redeemed.toString()).isEqualTo(200);
    assertThat(redeemed.json().get("studies")).hasSize(1);
  }

  @Test
  void aClinicianWhoTreatsThePatientSharesHerStudy() {
    ObjectNode body = chestCt().put("patient", "Patient/alice");
    JsonNode created = link(token("dr.chen", STAFF_SCOPES), body);
    assertThat(created.get("createdBy").asText()).isEqualTo("Practitioner/dr.chen");
    assertThat(redeem(created.get("url").asText(), null, true).status()).isEqualTo(200);
    // the patient sees (and may revoke) links of her records
    assertThat(find(list(alice()).json(), created.get("id").asText())).isNotNull();
  }

  @Test
  void reissueGivesTheOwnerANewUrlAndKillsTheOldOne() {
    JsonNode created = link(alice(), chestCt().put("maxUses", 2));
    String id = created.get("id").asText();
    String old = created.get("url").asText();

    HttpAnswer reissued = reissue(alice(), id);
    assertThat(reissued.status()).as(reissued.toString()).isEqualTo(200);
    String fresh = reissued.json().get("url").asText();
    assertThat(fresh).startsWith(baseUrl() + "/share/").isNotEqualTo(old);
    assertThat(reissued.json().get("expiresAt").asText()).isEqualTo(created.get("expiresAt").asText());
    assertGone(redeem(old, null, true));
    assertThat(redeem(fresh, null, true).status()).isEqualTo(200);

    // bruno: 404 exactly as a link that does not exist; a malformed id: 400
    HttpAnswer notHis = reissue(token("bruno", PATIENT_SCOPES), id);
    assertThat(notHis.status()).isEqualTo(404);
    assertThat(reissue(token("bruno", PATIENT_SCOPES), "00000000-0000-0000-0000-000000000000").text()).isEqualTo(notHis.text());
    assertThat(reissue(alice(), "not-a-uuid").status()).isEqualTo(400);

    // a revoked link is not reissued (404 as for a missing one) and its URL stays dead
    assertThat(revoke(alice(), id).status()).isEqualTo(200);
    HttpAnswer dead = reissue(alice(), id);
    assertThat(dead.status()).isEqualTo(404);
    assertThat(dead.text()).isEqualTo(notHis.text());
    assertGone(redeem(fresh, null, true));

    // the reissue is audited by link id, never with a token
    String audit = as("audit.gray", "user/AuditEvent.rs").get("AuditEvent?_count=200&_sort=-date").body();
    assertThat(audit).contains("\"reissue\"", id);
    assertThat(audit).doesNotContain(fresh.substring(fresh.lastIndexOf('/') + 1), old.substring(old.lastIndexOf('/') + 1));
  }

  @Test
  void aReissueEndsTheSessionsOpenedWithTheOldUrlAtOnce() {
    JsonNode created = link(alice(), chestCt().put("maxUses", 3));
    String before = redeem(created.get("url").asText(), null, true).json().get("session").asText();
    assertThat(get(before, "application/json").status()).isEqualTo(200);

    HttpAnswer reissued = reissue(alice(), created.get("id").asText());
    assertThat(reissued.status()).as(reissued.toString()).isEqualTo(200);
    assertGone(get(before, "application/json"));
    assertGone(get(before, "text/html"));
    assertGone(get(before + "/images.zip", null));
    assertGone(get(before + "/dicomweb/studies", "application/dicom+json"));

    // the new URL opens a session of its own, which works (one use left of three after this one)
    String after = redeem(reissued.json().get("url").asText(), null, true).json().get("session").asText();
    assertThat(get(after, "application/json").status()).isEqualTo(200);
    assertGone(get(before, "application/json"));
    assertThat(find(list(alice()).json(), created.get("id").asText()).get("uses").asInt()).isEqualTo(2);
  }

  @Test
  void onlyThePatientReissuesALinkOfHerRecordsNotAStaffCreator() {
    JsonNode created = link(token("dr.chen", STAFF_SCOPES), chestCt().put("patient", "Patient/alice"));
    String id = created.get("id").asText();
    assertThat(reissue(token("dr.chen", STAFF_SCOPES), id).status()).isEqualTo(404);
    assertThat(redeem(created.get("url").asText(), null, true).status()).isEqualTo(200); // still the old token
    // used up now: not even the patient gets a new URL for it
    assertThat(reissue(alice(), id).status()).isEqualTo(404);

    JsonNode other = link(token("dr.chen", STAFF_SCOPES), chestCt().put("patient", "Patient/alice"));
    HttpAnswer hers = reissue(alice(), other.get("id").asText());
    assertThat(hers.status()).as(hers.toString()).isEqualTo(200);
    assertGone(redeem(other.get("url").asText(), null, true));
    assertThat(redeem(hers.json().get("url").asText(), null, true).status()).isEqualTo(200);
  }

  static JsonNode find(JsonNode list, String id) {
    List<JsonNode> found = new ArrayList<>();
    list.get("links").forEach(link -> {
      if (link.get("id").asText().equals(id)) {
        found.add(link);
      }
    });
    assertThat(found).as("link " + id + " in " + list).hasSize(1);
    return found.get(0);
  }

  static HttpRequest.Builder request(String url) {
    return HttpRequest.newBuilder(URI.create(url));
  }
}
