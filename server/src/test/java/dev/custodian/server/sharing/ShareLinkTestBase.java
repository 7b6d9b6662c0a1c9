package dev.custodian.server.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custodian.server.support.ServerTestBase;
import dev.custodian.server.support.TestClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Share-link tests: the shared server, the owners' API with demo users' real tokens, and the
 * recipient's side over plain HTTP without any credential but the link.
 */
abstract class ShareLinkTestBase extends ServerTestBase {

  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  static final String PATIENT_SCOPES = "launch/patient patient/*.rs";
  static final String STAFF_SCOPES = "openid fhirUser user/*.cruds";
  private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

  record Answer(int status, byte[] body, HttpResponse<byte[]> raw) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + text(), e);
      }
    }

    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    @Override
    public String toString() {
      return status + " " + (body.length > 1500 ? text().substring(0, 1500) : text());
    }
  }

  String token(String username, String scopes) {
    return TOKENS.computeIfAbsent(username + " " + scopes, k -> TestClients.accessToken(context, baseUrl(), username, scopes));
  }

  String alice() {
    return token("alice", PATIENT_SCOPES);
  }

  /** A share-link request for alice's chest CT, valid for a day, one use. */
  static ObjectNode chestCt() {
    ObjectNode body = JSON.createObjectNode();
    body.putArray("studies").add("ImagingStudy/alice-ct-chest");
    body.put("expiresIn", "P1D");
    return body;
  }

  Answer create(String token, Object body) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/share-links"))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : body.toString())));
  }

  /** Creates a link and returns its JSON (id, url, …), failing unless 201. */
  JsonNode link(String token, ObjectNode body) {
    Answer created = create(token, body);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json();
  }

  Answer list(String token) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/share-links")).header("Authorization", "Bearer " + token).GET());
  }

  Answer revoke(String token, String id) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/share-links/" + id))
        .header("Authorization", "Bearer " + token).DELETE());
  }

  Answer reissue(String token, String id) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/share-links/" + id + "/reissue"))
        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()));
  }

  /** Redeems (POST) as a browser would, or asking for JSON. */
  static Answer redeem(String url, String pin, boolean json) {
    String form = pin == null ? "" : "pin=" + URLEncoder.encode(pin, StandardCharsets.UTF_8);
    return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", json ? "application/json" : "text/html").header("User-Agent", "share-link-test/1.0")
        .POST(HttpRequest.BodyPublishers.ofString(form)));
  }

  static Answer get(String url, String accept) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
    if (accept != null) {
      request.header("Accept", accept);
    }
    return send(request);
  }

  static Answer send(HttpRequest.Builder request) {
    try {
      HttpResponse<byte[]> response = CLIENT.send(request.timeout(Duration.ofSeconds(60)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      return new Answer(response.statusCode(), response.body(), response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** What a spent, unknown or revoked link answers: 410, one plain page, nothing of the records. */
  static void assertGone(Answer answer) {
    assertThat(answer.status()).as(answer.toString()).isEqualTo(410);
    assertThat(answer.text()).contains("This link is not available")
        .doesNotContain("alice", "Alice", "ImagingStudy", "DiagnosticReport", "chest", "Chest", "onclusion", "dicomweb");
  }
}
