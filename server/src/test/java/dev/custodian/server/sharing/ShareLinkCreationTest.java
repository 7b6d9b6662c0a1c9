package dev.custodian.server.sharing;

import dev.custodian.server.support.HttpAnswer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Creating links is decided by the policy (a study one may not share answers like one that does not
 * exist), and bad input gets a clean 4xx — on the owners' API and on the recipient's side.
 */
class ShareLinkCreationTest extends ShareLinkTestBase {

  @Test
  void onlyWhatTheCreatorMayReadWholeCanBeShared() {
    HttpAnswer missing = create(alice(), body("ImagingStudy/no-such-study"));
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().get("error").asText()).isEqualTo("not_found");

    // bruno's study, named by alice (as hers, or as bruno's)
    assertThat(create(alice(), body("ImagingStudy/bruno-ct-chest")).status()).isEqualTo(404);
    assertThat(create(alice(), body("ImagingStudy/bruno-ct-chest").put("patient", "Patient/bruno")).status()).isEqualTo(404);
    // alice's study, named by bruno
    assertThat(create(token("bruno", PATIENT_SCOPES), body("ImagingStudy/alice-ct-chest").put("patient", "alice")).status())
        .isEqualTo(404);
    // a clinician without a care relationship, and the health plan (a projection only, no images)
    assertThat(create(token("dr.diaz", STAFF_SCOPES), body("ImagingStudy/alice-ct-chest").put("patient", "alice")).status())
        .isEqualTo(404);
    assertThat(create(token("payer.evans", STAFF_SCOPES), body("ImagingStudy/alice-ct-chest").put("patient", "alice")).status())
        .isEqualTo(404);
    // one forbidden study spoils the whole link
    ObjectNode mixed = body("ImagingStudy/alice-ct-chest");
    mixed.withArray("studies").add("ImagingStudy/bruno-ct-chest");
    assertThat(create(alice(), mixed).status()).isEqualTo(404);
    assertThat(list(token("bruno", PATIENT_SCOPES)).text()).doesNotContain("alice-ct-chest");
  }

  @Test
  void badInputIsA400WithAReason() {
    List<String> bodies = List.of(
        "{not json",
        "[]",
        "{\"expiresIn\": \"P1D\"}",
        "{\"studies\": \"ImagingStudy/alice-ct-chest\", \"expiresIn\": \"P1D\"}",
        "{\"studies\": [], \"expiresIn\": \"P1D\"}",
        "{\"studies\": [42], \"expiresIn\": \"P1D\"}",
        "{\"studies\": [\"Patient/alice\"], \"expiresIn\": \"P1D\"}",
        "{\"studies\": [\"ImagingStudy/alice-ct-chest\"]}",
        "{\"studies\": [\"ImagingStudy/alice-ct-chest\"], \"expiresIn\": \"P8D\"}",
        "{\"studies\": [\"ImagingStudy/alice-ct-chest\"], \"expiresIn\": \"soon\"}",
        "{\"studies\": [\"ImagingStudy/alice-ct-chest\"], \"expiresIn\": \"PT2562047788015215H\"}",
        "{\"studies\": [\"ImagingStudy/alice-ct-chest\"], \"expiresIn\": \"-PT2562047788015215H\"}",
        "{\"studies\": [\"ImagingStudy/alice-ct-chest\"], \"expiresAt\": \"" + Instant.now().minusSeconds(60) + "\"}",
        "{\"studies\": [\"ImagingStudy/alice-ct-chest\"], \"expiresIn\": \"P1D\", \"expiresAt\": \"2030-01-01T00:00:00Z\"}",
        "{\"studies\": [\"ImagingStudy/alice-ct-chest\"], \"expiresIn\": \"P1D\", \"maxUses\": 0}",
        "{\"studies\": [\"ImagingStudy/alice-ct-chest\"], \"expiresIn\": \"P1D\", \"maxUses\": 100000}",
        "{\"studies\": [\"ImagingStudy/alice-ct-chest\"], \"expiresIn\": \"P1D\", \"maxUses\": \"two\"}",
        "{\"studies\": [\"ImagingStudy/alice-ct-chest\"], \"expiresIn\": \"P1D\", \"pin\": \"12ab\"}",
        "{\"studies\": [\"ImagingStudy/alice-ct-chest\"], \"expiresIn\": \"P1D\", \"pin\": 1234}",
        "{\"studies\": [\"ImagingStudy/alice-ct-chest\"], \"expiresIn\": \"P1D\", \"purpose\": \"FUN\"}",
        "{\"studies\": [\"ImagingStudy/alice-ct-chest\"], \"expiresIn\": \"P1D\", \"recipientLabel\": \"" + "x".repeat(201) + "\"}",
        "{\"studies\": [\"ImagingStudy/alice-ct-chest\"], \"expiresIn\": \"P1D\", \"recipient\": \"Practitioner/nobody-here\"}",
        "{\"studies\": [\"ImagingStudy/alice-ct-chest\"], \"expiresIn\": \"P1D\", \"recipient\": \"ImagingStudy/alice-ct-head\"}");
    for (String body : bodies) {
      HttpAnswer answer = create(alice(), body);
      assertThat(answer.status()).as(body + " → " + answer).isEqualTo(400);
      assertThat(answer.json().get("error").asText()).isEqualTo("invalid_request");
      assertThat(answer.text()).doesNotContain("Exception", "at dev.");
    }
    assertThat(list(alice()).text()).doesNotContain("nobody-here");
  }

  @Test
  void theApiWantsAValidBearerToken() {
    for (HttpRequest.Builder request : List.of(
        HttpRequest.newBuilder(URI.create(baseUrl() + "/api/share-links")).GET(),
        HttpRequest.newBuilder(URI.create(baseUrl() + "/api/share-links")).header("Authorization", "Bearer not-a-token").GET(),
        HttpRequest.newBuilder(URI.create(baseUrl() + "/api/share-links")).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(chestCt().toString())),
        HttpRequest.newBuilder(URI.create(baseUrl() + "/api/share-links/00000000-0000-0000-0000-000000000000")).DELETE())) {
      HttpAnswer answer = send(request);
      assertThat(answer.status()).isEqualTo(401);
      assertThat(answer.json().get("error").asText()).isEqualTo("invalid_token");
    }
    assertThat(revoke(alice(), "not-a-uuid").status()).isEqualTo(404);
  }

  @Test
  void badTokensAndSessionsAnswer410AndNothingElse() {
    String unknown = "A".repeat(43);
    for (String path : List.of("/share/x", "/share/" + unknown, "/share/" + "A".repeat(44), "/share/s/" + unknown,
        "/share/s/" + unknown + "/images.zip", "/share/s/" + unknown + "/dicomweb/studies", "/share/s/short/dicomweb")) {
      assertGone(get(baseUrl() + path, "text/html"));
      assertGone(get(baseUrl() + path, "application/json"));
    }
    assertGone(redeem(baseUrl() + "/share/" + unknown, "1234", false));
    HttpAnswer odd = get(baseUrl() + "/share/%00", "text/html");
    assertThat(odd.status()).isBetween(400, 499);
    assertThat(odd.text()).doesNotContain("Exception", "at org.");
    // other paths under /api and elsewhere did not open up
    assertThat(get(baseUrl() + "/api/other", null).status()).isNotEqualTo(200);
    assertThat(get(baseUrl() + "/sharex", null).status()).isNotEqualTo(200);
  }

  private static ObjectNode body(String study) {
    ObjectNode body = JSON.createObjectNode();
    body.putArray("studies").add(study);
    body.put("expiresIn", "P1D");
    return body;
  }
}
