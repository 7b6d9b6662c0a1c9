package dev.custodian.server.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custodian.server.support.HttpAnswer;
import dev.custodian.server.support.PlainHttp;
import dev.custodian.server.support.ServerTestBase;
import dev.custodian.server.support.TestClients;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Share-link tests: the shared server, the owners' API with demo users' real tokens, and the
 * recipient's side over plain HTTP without any credential but the link.
 */
abstract class ShareLinkTestBase extends ServerTestBase {

  static final ObjectMapper JSON = new ObjectMapper();
  static final PlainHttp HTTP = new PlainHttp();
  static final String PATIENT_SCOPES = "launch/patient patient/*.rs";
  static final String STAFF_SCOPES = "openid fhirUser user/*.cruds";
  private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

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

  HttpAnswer create(String token, Object body) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/share-links"))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : body.toString())));
  }

  /** Creates a link and returns its JSON (id, url, …), failing unless 201. */
  JsonNode link(String token, ObjectNode body) {
    HttpAnswer created = create(token, body);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json();
  }

  HttpAnswer list(String token) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/share-links")).header("Authorization", "Bearer " + token).GET());
  }

  HttpAnswer revoke(String token, String id) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/share-links/" + id))
        .header("Authorization", "Bearer " + token).DELETE());
  }

  HttpAnswer reissue(String token, String id) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/share-links/" + id + "/reissue"))
        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()));
  }

  /** Redeems (POST) as a browser would, or asking for JSON. */
  static HttpAnswer redeem(String url, String pin, boolean json) {
    String form = pin == null ? "" : "pin=" + URLEncoder.encode(pin, StandardCharsets.UTF_8);
    return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", json ? "application/json" : "text/html").header("User-Agent", "share-link-test/1.0")
        .POST(HttpRequest.BodyPublishers.ofString(form)));
  }

  static HttpAnswer get(String url, String accept) {
    return HTTP.get(url, accept);
  }

  static HttpAnswer send(HttpRequest.Builder request) {
    return HTTP.send(request);
  }

  /** What a spent, unknown or revoked link answers: 410, one plain page, nothing of the records. */
  static void assertGone(HttpAnswer answer) {
    assertThat(answer.status()).as(answer.toString()).isEqualTo(410);
    assertThat(answer.text()).contains("This link is not available")
        .doesNotContain("alice", "Alice", "ImagingStudy", "DiagnosticReport", "chest", "Chest", "onclusion", "dicomweb");
  }
}
