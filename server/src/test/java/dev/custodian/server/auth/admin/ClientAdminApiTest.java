package dev.custodian.server.auth.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.RSAKey;
import dev.custodian.server.audit.store.AuditEventStore;
import dev.custodian.server.audit.store.AuditQuery;
import dev.custodian.server.auth.DemoAccounts;
import dev.custodian.server.support.ClientAssertions;
import dev.custodian.server.support.FhirHttp;
import dev.custodian.server.support.ServerTestBase;
import dev.custodian.server.support.SmartLogin;
import dev.custodian.server.support.SmartLogin.TokenResponse;
import dev.custodian.server.support.TestClients;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.AuditEvent;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The client admin API over real HTTP: an administrator registers public, confidential and backend
 * clients that then work in the real flows; everyone else is refused; bad registrations are 400s
 * that register nothing; every change is audited.
 */
class ClientAdminApiTest extends ServerTestBase {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String REDIRECT = "http://127.0.0.1:9/admin-test-callback";

  @Autowired JdbcTemplate authJdbcTemplate;
  @Autowired AuditEventStore auditEvents;
  @Autowired ca.uhn.fhir.validation.IInstanceValidatorModule instanceValidator;

  record Answer(int status, JsonNode json) {}

  /** The administrator, signed in to the dedicated admin client with the admin scope. */
  private String adminToken() {
    return adminConsoleToken("admin");
  }

  private String adminConsoleToken(String user) {
    return new SmartLogin(baseUrl()).login(DemoAccounts.ADMIN_CONSOLE, DemoAccounts.ADMIN_CONSOLE_REDIRECT,
        "openid " + AdminTokens.SCOPE, user, DemoAccounts.DEMO_PASSWORD).accessToken();
  }

  private Answer call(String method, String path, String token, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
        .header("Accept", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.body().isBlank() ? null : JSON.readTree(response.body()));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private Answer register(String body) {
    return call("POST", "/auth/clients", adminToken(), body);
  }

  private static String uniqueId(String prefix) {
    return prefix + "-" + System.nanoTime();
  }

  @Test
  void aRegisteredPublicClientSignsAPatientInWithPkceAtOnce() {
    String id = uniqueId("admin-public");
    Answer created = register("""
        {"client_id": "%s", "client_name": "Registered public app", "type": "public",
         "redirect_uris": ["%s"], "scope": "openid fhirUser launch/patient patient/*.rs"}""".formatted(id, REDIRECT));
    assertThat(created.status()).as(String.valueOf(created.json())).isEqualTo(201);
    assertThat(created.json().get("type").asText()).isEqualTo("public");
    assertThat(created.json().has("client_secret")).isFalse();

    TokenResponse tokens = new SmartLogin(baseUrl())
        .login(id, REDIRECT, "launch/patient patient/*.rs", "alice", DemoAccounts.DEMO_PASSWORD);
    assertThat(tokens.body()).containsEntry("patient", "alice");
    FhirHttp fhir = new FhirHttp(PORT, fhirContext).withBearer(tokens.accessToken());
    assertThat(fhir.get("Patient/alice").status()).isEqualTo(200);
    assertThat(fhir.get("ImagingStudy/bruno-ct-chest").status()).isEqualTo(404);

    // what it was not registered for it cannot ask for
    SmartLogin.Pkce pkce = SmartLogin.Pkce.create();
    java.net.URI refused = new SmartLogin(baseUrl()).authorize(
        new SmartLogin(baseUrl()).authorizeParameters(id, REDIRECT, "user/*.rs", pkce), "alice", DemoAccounts.DEMO_PASSWORD);
    assertThat(SmartLogin.query(refused)).containsEntry("error", "invalid_scope");
  }

  @Test
  void aRegisteredBackendClientWithAFreshKeyGetsAClientCredentialsToken() {
    String id = uniqueId("admin-backend");
    RSAKey key = ClientAssertions.newRsaKey();
    Answer created = register("""
        {"client_id": "%s", "client_name": "Registered backend", "type": "backend",
         "organization": "Organization/partner-hospital", "scope": "system/ImagingStudy.rs",
         "jwks": %s}""".formatted(id, ClientAssertions.publicJwks(key)));
    assertThat(created.status()).as(String.valueOf(created.json())).isEqualTo(201);
    assertThat(created.json().get("organization").asText()).isEqualTo("Organization/partner-hospital");
    assertThat(created.json().get("jwks").get("keys").get(0).has("d")).isFalse();

    String assertion = ClientAssertions.sign(key, ClientAssertions.claims(id, baseUrl() + "/oauth2/token").build());
    TokenResponse tokens = new SmartLogin(baseUrl()).token(ClientAssertions.tokenRequest(assertion, "system/ImagingStudy.rs"));
    assertThat(tokens.status()).as(tokens.toString()).isEqualTo(200);
    assertThat(tokens.claims("access_token")).containsEntry("organization", "Organization/partner-hospital");
    FhirHttp fhir = new FhirHttp(PORT, fhirContext).withBearer(tokens.accessToken());
    assertThat(fhir.get("ImagingStudy/alice-ct-chest").status()).isEqualTo(200);
    assertThat(fhir.get("ImagingStudy/bruno-ct-chest").status()).isEqualTo(404);
  }

  @Test
  void aConfidentialClientsSecretIsShownOnceAndStoredHashed() {
    String id = uniqueId("admin-confidential");
    Answer created = register("""
        {"client_id": "%s", "client_name": "Registered EHR", "type": "confidential", "can_create_launches": true,
         "redirect_uris": ["%s"], "scope": "launch openid fhirUser patient/*.rs user/*.rs online_access"}"""
        .formatted(id, REDIRECT));
    assertThat(created.status()).as(String.valueOf(created.json())).isEqualTo(201);
    String secret = created.json().get("client_secret").asText();
    assertThat(secret).hasSizeGreaterThanOrEqualTo(43);

    Answer read = call("GET", "/auth/clients/" + id, adminToken(), null);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json().toString()).doesNotContain(secret).doesNotContain("\"client_secret\"");
    assertThat(call("GET", "/auth/clients", adminToken(), null).json().toString())
        .contains(id).doesNotContain(secret).doesNotContain("argon2");
    String stored = authJdbcTemplate.queryForObject(
        "select client_secret from oauth2_registered_client where client_id = ?", String.class, id);
    assertThat(stored).startsWith("{argon2}").doesNotContain(secret);

    // the secret works at once: the EHR creates a launch, and its app signs dr.chen in with it
    HttpRequest launch = HttpRequest.newBuilder(URI.create(baseUrl() + "/auth/launch"))
        .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString((id + ":" + secret).getBytes()))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"patient\":\"alice\"}")).build();
    try {
      assertThat(HTTP.send(launch, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
    TokenResponse tokens = new SmartLogin(baseUrl()).withClientSecret(secret)
        .login(id, REDIRECT, "openid fhirUser user/*.rs", "dr.chen", DemoAccounts.DEMO_PASSWORD);
    assertThat(tokens.status()).isEqualTo(200);
    assertThatSecretIsRefused(id, "wrong-" + secret);
  }

  private void assertThatSecretIsRefused(String id, String wrong) {
    SmartLogin wrongSecret = new SmartLogin(baseUrl()).withClientSecret(wrong);
    TokenResponse answer = wrongSecret.post("/oauth2/token", new java.util.LinkedHashMap<>(Map.of(
        "grant_type", "authorization_code", "code", "nothing", "redirect_uri", REDIRECT, "client_id", id)));
    assertThat(answer.status()).isEqualTo(401);
  }

  @Test
  void onlyAdministratorsReachTheApi() {
    String body = """
        {"client_id": "never-registered-by-them", "client_name": "x", "type": "public",
         "redirect_uris": ["%s"], "scope": "openid"}""".formatted(REDIRECT);
    for (String user : List.of("dr.chen", "audit.gray", "alice")) {
      String token = TestClients.accessToken(context, baseUrl(), user, "openid");
      assertThat(call("GET", "/auth/clients", token, null).status()).as(user).isEqualTo(403);
      assertThat(call("POST", "/auth/clients", token, body).status()).as(user).isEqualTo(403);
      assertThat(call("DELETE", "/auth/clients/patient-app", token, null).status()).as(user).isEqualTo(403);
    }
    Answer anonymous = call("GET", "/auth/clients", null, null);
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.json().get("error").asText()).isEqualTo("invalid_token");
    assertThat(call("POST", "/auth/clients", "not-a-token", body).status()).isEqualTo(401);
    assertThat(call("GET", "/auth/clients/never-registered-by-them", adminToken(), null).status()).isEqualTo(404);
    assertThat(call("GET", "/auth/clients/patient-app", adminToken(), null).status()).isEqualTo(200);
  }

  @Test
  void theAdministratorSignedInToAnyOtherAppIsRefusedAndTheRefusalIsAudited() {
    String id = uniqueId("admin-elsewhere");
    String body = """
        {"client_id": "%s", "client_name": "x", "type": "public",
         "redirect_uris": ["%s"], "scope": "openid"}""".formatted(id, REDIRECT);
    String viaPatientApp = new SmartLogin(baseUrl()).login(DemoAccounts.DEMO_APP, "http://127.0.0.1:8765/callback",
        "openid user/*.rs", "admin", DemoAccounts.DEMO_PASSWORD).accessToken();
    String viaTestApp = TestClients.accessToken(context, baseUrl(), "admin", "openid");
    for (String token : List.of(viaPatientApp, viaTestApp)) {
      Answer list = call("GET", "/auth/clients", token, null);
      assertThat(list.status()).isEqualTo(403);
      assertThat(list.json().get("error").asText()).isEqualTo("insufficient_scope");
      assertThat(list.json().get("error_description").asText()).contains(AdminTokens.SCOPE);
      assertThat(call("POST", "/auth/clients", token, body).status()).isEqualTo(403);
      assertThat(call("DELETE", "/auth/clients/patient-app", token, null).status()).isEqualTo(403);
    }
    assertThat(call("GET", "/auth/clients/patient-app", adminToken(), null).status()).isEqualTo(200);
    assertThat(call("GET", "/auth/clients/" + id, adminToken(), null).status()).isEqualTo(404);

    // other apps cannot even ask for the admin scope
    SmartLogin browser = new SmartLogin(baseUrl());
    java.net.URI refused = browser.authorize(browser.authorizeParameters(DemoAccounts.DEMO_APP,
        "http://127.0.0.1:8765/callback", "openid " + AdminTokens.SCOPE, SmartLogin.Pkce.create()),
        "admin", DemoAccounts.DEMO_PASSWORD);
    assertThat(SmartLogin.query(refused)).containsEntry("error", "invalid_scope");

    List<AuditEvent> refusals = refusals();
    for (String app : List.of(DemoAccounts.DEMO_APP, TestClients.CLIENT_ID)) {
      assertThat(refusals).as(app).anyMatch(e -> isRefusal(e, "admin", app, "DELETE /auth/clients/patient-app")
          && e.getAction() == AuditEvent.AuditEventAction.D);
      assertThat(refusals).as(app).anyMatch(e -> isRefusal(e, "admin", app, "POST /auth/clients")
          && e.getAction() == AuditEvent.AuditEventAction.C);
    }
  }

  @Test
  void onlyAdministratorsMayUseTheAdminClient() {
    for (String user : List.of("dr.chen", "audit.gray", "alice")) {
      String token = adminConsoleToken(user);
      Answer list = call("GET", "/auth/clients", token, null);
      assertThat(list.status()).as(user).isEqualTo(403);
      assertThat(list.json().get("error_description").asText()).as(user).isEqualTo("only administrators may manage clients");
      assertThat(call("DELETE", "/auth/clients/patient-app", token, null).status()).as(user).isEqualTo(403);
      assertThat(refusals()).as(user).anyMatch(e -> isRefusal(e, user, DemoAccounts.ADMIN_CONSOLE, "GET /auth/clients"));
    }
    assertThat(call("GET", "/auth/clients/patient-app", adminToken(), null).status()).isEqualTo(200);
  }

  private List<AuditEvent> refusals() {
    return auditEvents.search(new AuditQuery(null, null, null,
        List.of(List.of("https://custodian.dev/fhir/CodeSystem/audit-event-type|client-registration")),
        List.of(List.of("https://custodian.dev/fhir/CodeSystem/audit-event-type|refused")),
        null, null, null, null, null, null, null, false), null, 500);
  }

  private static boolean isRefusal(AuditEvent event, String user, String app, String request) {
    return event.getOutcome() == AuditEvent.AuditEventOutcome._4
        && event.getOutcomeDesc().startsWith(request + ":")
        && user.equals(event.getAgentFirstRep().getWho().getIdentifier().getValue())
        && event.getAgent().stream().anyMatch(agent -> app.equals(agent.getWho().getIdentifier().getValue()));
  }

  @Test
  void badRegistrationsAre400WithTheReasonAndRegisterNothing() {
    String rsa = ClientAssertions.publicJwks(ClientAssertions.newRsaKey());
    String privateJwks = new com.nimbusds.jose.jwk.JWKSet(ClientAssertions.newRsaKey()).toString(false);
    Map<String, String> cases = new java.util.LinkedHashMap<>();
    cases.put("{not json", "not JSON");
    cases.put("[1,2]", "JSON object");
    cases.put(pub("\"scope\": \"openid\", \"colour\": \"red\""), "unknown field colour");
    cases.put("{\"client_id\": \"%ID%\", \"type\": \"public\", \"redirect_uris\": [\"" + REDIRECT + "\"], \"scope\": \"openid\"}", "client_name is required");
    cases.put("{\"client_id\": \"%ID%\", \"client_name\": \"x\", \"type\": \"robot\", \"scope\": \"openid\"}", "type must be");
    cases.put(pub("\"scope\": \"patient/Unicorn.rs\""), "scope");
    cases.put(pub("\"scope\": \"patient/*.zz\""), "scope");
    cases.put(pub("\"scope\": \"launch/patient superpowers\""), "scope");
    cases.put(pub("\"scope\": \"system/*.rs\""), "system/ scopes are for backend clients");
    cases.put("{\"client_id\": \"%ID%\", \"client_name\": \"x\", \"type\": \"public\", \"scope\": \"openid\", "
        + "\"redirect_uris\": [\"https://app.example/cb#fragment\"]}", "fragment");
    cases.put("{\"client_id\": \"%ID%\", \"client_name\": \"x\", \"type\": \"public\", \"scope\": \"openid\", "
        + "\"redirect_uris\": [\"/relative/callback\"]}", "absolute");
    cases.put("{\"client_id\": \"%ID%\", \"client_name\": \"x\", \"type\": \"public\", \"scope\": \"openid\", "
        + "\"redirect_uris\": [\"http://app.example/cb\"]}", "http only to localhost");
    cases.put("{\"client_id\": \"%ID%\", \"client_name\": \"x\", \"type\": \"public\", \"scope\": \"openid\", "
        + "\"redirect_uris\": [\"javascript:alert(1)\"]}", "scheme");
    cases.put("{\"client_id\": \"%ID%\", \"client_name\": \"x\", \"type\": \"public\", \"scope\": \"openid\", "
        + "\"redirect_uris\": []}", "redirect_uris");
    cases.put("{\"client_id\": \"a b\", \"client_name\": \"x\", \"type\": \"public\", \"scope\": \"openid\", "
        + "\"redirect_uris\": [\"" + REDIRECT + "\"]}", "client_id");
    cases.put(backend("\"scope\": \"patient/*.rs\", \"jwks\": " + rsa), "system/ scopes only");
    cases.put(backend("\"scope\": \"system/*.rs\", \"jwks\": " + privateJwks), "private");
    cases.put(backend("\"scope\": \"system/*.rs\""), "jwks");
    cases.put(backend("\"scope\": \"system/*.rs\", \"jwks_uri\": \"http://keys.example/jwks\""), "https");
    cases.put(backend("\"scope\": \"system/*.rs\", \"jwks\": {\"keys\": []}"), "no keys");
    cases.put("{\"client_id\": \"%ID%\", \"client_name\": \"x\", \"type\": \"backend\", \"scope\": \"system/*.rs\", "
        + "\"organization\": \"Organization/does-not-exist\", \"jwks\": " + rsa + "}", "does not exist");
    cases.put(pub("\"scope\": \"openid\", \"organization\": \"Organization/partner-hospital\""), "backend clients only");
    cases.put(pub("\"scope\": \"openid custodian/admin patient/*.rs\""), "admin client");
    cases.put(pub("\"scope\": \"launch/patient custodian/admin\""), "admin client");
    cases.put(backend("\"scope\": \"system/*.rs custodian/admin\", \"jwks\": " + rsa), "system/ scopes only");
    int n = 0;
    for (Map.Entry<String, String> c : cases.entrySet()) {
      String id = "admin-bad-" + (n++) + "-" + System.nanoTime();
      Answer answer = register(c.getKey().replace("%ID%", id));
      assertThat(answer.status()).as(c.getKey()).isEqualTo(400);
      assertThat(answer.json().get("error").asText()).isEqualTo("invalid_client_metadata");
      assertThat(answer.json().get("error_description").asText()).as(c.getKey()).containsIgnoringCase(c.getValue());
      assertThat(call("GET", "/auth/clients/" + id, adminToken(), null).status()).as(c.getKey()).isEqualTo(404);
    }
    // a taken client_id: 409, and the registered one is unchanged
    Answer taken = register("{\"client_id\": \"patient-app\", \"client_name\": \"impostor\", \"type\": \"public\", "
        + "\"scope\": \"openid\", \"redirect_uris\": [\"https://evil.example/cb\"]}");
    assertThat(taken.status()).isEqualTo(409);
    assertThat(call("GET", "/auth/clients/patient-app", adminToken(), null).json().get("client_name").asText())
        .isEqualTo("Custodian patient app");
  }

  private static String pub(String fields) {
    return "{\"client_id\": \"%ID%\", \"client_name\": \"x\", \"type\": \"public\", \"redirect_uris\": [\""
        + REDIRECT + "\"], " + fields + "}";
  }

  private static String backend(String fields) {
    return "{\"client_id\": \"%ID%\", \"client_name\": \"x\", \"type\": \"backend\", "
        + "\"organization\": \"Organization/partner-hospital\", " + fields + "}";
  }

  @Test
  void updatesTakeEffectAtOnceAndDeletingAClientKillsItsTokens() {
    String id = uniqueId("admin-lifecycle");
    String first = "http://127.0.0.1:9/first-callback";
    String second = "http://127.0.0.1:9/second-callback";
    assertThat(register("""
        {"client_id": "%s", "client_name": "Lifecycle app", "type": "public",
         "redirect_uris": ["%s"], "scope": "launch/patient patient/*.rs"}""".formatted(id, first)).status()).isEqualTo(201);

    Answer updated = call("PUT", "/auth/clients/" + id, adminToken(), """
        {"client_name": "Lifecycle app, renamed", "type": "public",
         "redirect_uris": ["%s"], "scope": "launch/patient patient/*.rs"}""".formatted(second));
    assertThat(updated.status()).as(String.valueOf(updated.json())).isEqualTo(200);
    assertThat(updated.json().get("client_name").asText()).isEqualTo("Lifecycle app, renamed");
    assertThat(call("PUT", "/auth/clients/" + id, adminToken(), """
        {"client_name": "x", "type": "confidential", "redirect_uris": ["%s"], "scope": "openid"}""".formatted(second))
        .status()).isEqualTo(400);

    // the old redirect URI is refused, the new one works
    SmartLogin.Pkce pkce = SmartLogin.Pkce.create();
    SmartLogin browser = new SmartLogin(baseUrl());
    assertThat(call("GET", "/auth/clients/" + id, adminToken(), null).json().get("redirect_uris").toString())
        .doesNotContain(first);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> browser.authorize(
        browser.authorizeParameters(id, first, "launch/patient patient/*.rs", pkce), "bruno", DemoAccounts.DEMO_PASSWORD))
        .isInstanceOf(IllegalStateException.class);
    TokenResponse tokens = new SmartLogin(baseUrl())
        .login(id, second, "launch/patient patient/*.rs", "bruno", DemoAccounts.DEMO_PASSWORD);
    FhirHttp fhir = new FhirHttp(PORT, fhirContext).withBearer(tokens.accessToken());
    assertThat(fhir.get("Patient/bruno").status()).isEqualTo(200);

    assertThat(call("DELETE", "/auth/clients/" + id, adminToken(), null).status()).isEqualTo(204);
    assertThat(fhir.get("Patient/bruno").status()).isEqualTo(401);
    assertThat(call("GET", "/auth/clients/" + id, adminToken(), null).status()).isEqualTo(404);
    assertThat(call("DELETE", "/auth/clients/" + id, adminToken(), null).status()).isEqualTo(404);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SmartLogin(baseUrl())
        .login(id, second, "launch/patient patient/*.rs", "bruno", DemoAccounts.DEMO_PASSWORD))
        .isInstanceOf(IllegalStateException.class);

    List<AuditEvent> changes = auditEvents.search(new AuditQuery(null, null, null,
        List.of(List.of("https://custodian.dev/fhir/CodeSystem/audit-event-type|client-registration")),
        null, null, null, null, null, null, null, null, false), null, 200);
    for (String change : List.of("created", "updated", "deleted")) {
      assertThat(changes).as(change).anyMatch(e -> change.equals(e.getSubtypeFirstRep().getCode())
          && "admin".equals(e.getAgentFirstRep().getWho().getIdentifier().getValue())
          && e.getEntity().stream().anyMatch(entity -> id.equals(entity.getWhat().getIdentifier().getValue())));
    }
    // the events meet Custodian's AuditEvent profile, as every event of the server does
    ca.uhn.fhir.validation.FhirValidator validator = fhirContext.newValidator();
    validator.registerValidatorModule(instanceValidator);
    for (AuditEvent event : changes.subList(0, Math.min(3, changes.size()))) {
      ca.uhn.fhir.validation.ValidationResult result = validator.validateWithResult(
          fhirContext.newJsonParser().encodeResourceToString(event),
          new ca.uhn.fhir.validation.ValidationOptions().addProfile(dev.custodian.server.ig.CustodianProfiles.AUDIT_EVENT));
      assertThat(result.getMessages()).as(() -> result.getMessages().stream().map(m -> m.getLocationString() + " " + m.getMessage()).toList().toString())
          .noneMatch(m -> m.getSeverity().ordinal() >= ca.uhn.fhir.validation.ResultSeverityEnum.ERROR.ordinal());
    }
  }
}
