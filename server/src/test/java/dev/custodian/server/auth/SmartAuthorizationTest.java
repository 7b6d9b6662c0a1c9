package dev.custodian.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.custodian.server.support.FhirHttp;
import dev.custodian.server.support.ServerTestBase;
import dev.custodian.server.support.SmartLogin;
import dev.custodian.server.support.SmartLogin.Pkce;
import dev.custodian.server.support.SmartLogin.TokenResponse;
import dev.custodian.server.support.TestClients;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SMART authorization server over real HTTP: discovery, the code flow, and its refusals. */
class SmartAuthorizationTest extends ServerTestBase {

  @org.springframework.beans.factory.annotation.Autowired
  dev.custodian.server.audit.store.AuditEventStore auditEvents;

  private SmartLogin browser;

  @BeforeEach
  void browser() {
    TestClients.ensureRegistered(context);
    browser = new SmartLogin(baseUrl());
  }

  @Test
  void discoveryDocumentHasTheRequiredFields() throws Exception {
    FhirHttp.Response response = http.withBearer(null).get(".well-known/smart-configuration");
    assertThat(response.status()).isEqualTo(200);
    @SuppressWarnings("unchecked")
    Map<String, Object> doc = new ObjectMapper().readValue(response.body(), Map.class);
    assertThat(doc)
        .containsKeys(
            "issuer", "jwks_uri", "authorization_endpoint", "token_endpoint", "grant_types_supported",
            "token_endpoint_auth_methods_supported", "scopes_supported", "response_types_supported",
            "capabilities", "code_challenge_methods_supported", "introspection_endpoint", "revocation_endpoint");
    assertThat(doc.get("code_challenge_methods_supported")).isEqualTo(List.of("S256"));
    assertThat(doc.get("issuer")).isEqualTo(baseUrl());
    @SuppressWarnings("unchecked")
    List<String> capabilities = (List<String>) doc.get("capabilities");
    assertThat(capabilities)
        .contains("launch-standalone", "client-public", "context-standalone-patient", "permission-v2", "sso-openid-connect");
  }

  @Test
  void fhirWithoutAValidTokenIs401WithAnOperationOutcome() {
    for (String token : new String[] {null, "garbage", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"}) {
      FhirHttp.Response response = http.withBearer(token).get("Patient/alice");
      assertThat(response.status()).as(String.valueOf(token)).isEqualTo(401);
      assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
      assertThat(response.outcome().getIssueFirstRep().getDiagnostics()).contains("bearer access token");
      assertThat(response.body()).doesNotContain("alice").doesNotContain("Martin");
    }
    assertThat(http.withBearer(null).get("metadata").status()).isEqualTo(200);
  }

  @Test
  void aPatientSignsInAndGetsTheirOwnLaunchContext() {
    TokenResponse tokens =
        browser.login(TestClients.CLIENT_ID, TestClients.REDIRECT_URI,
            "openid fhirUser launch/patient patient/*.rs", "alice", "custodian-demo");
    assertThat(tokens.body().get("patient")).isEqualTo("alice");
    assertThat(tokens.body().get("token_type")).isEqualTo("Bearer");
    assertThat((String) tokens.body().get("scope")).contains("patient/*.rs").contains("launch/patient");
    Map<String, Object> access = tokens.claims("access_token");
    assertThat(access.get("fhirUser")).isEqualTo("Patient/alice");
    assertThat(access.get("patient")).isEqualTo("alice");
    assertThat(access.get("iss")).isEqualTo(baseUrl());
    assertThat(tokens.claims("id_token").get("fhirUser")).isEqualTo("Patient/alice");

    FhirHttp.Response read = http.withBearer(tokens.accessToken()).get("Patient/alice");
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.resource(Patient.class).getNameFirstRep().getFamily()).isEqualTo("Martin");
  }

  @Test
  void aWrongPasswordGetsNoCode() {
    Map<String, String> params =
        browser.authorizeParameters(TestClients.CLIENT_ID, TestClients.REDIRECT_URI, "patient/*.rs", Pkce.create());
    assertThatThrownBy(() -> browser.authorize(params, "alice", "not-her-password"))
        .hasMessageContaining("sign-in refused");
  }

  @Test
  void pkceIsRequiredAndOnlyS256() {
    Map<String, String> missing =
        browser.authorizeParameters(TestClients.CLIENT_ID, TestClients.REDIRECT_URI, "patient/*.rs", Pkce.create());
    missing.remove("code_challenge");
    missing.remove("code_challenge_method");
    assertThat(errorOf(browser.authorize(missing, "alice", "custodian-demo"))).isEqualTo("invalid_request");

    Map<String, String> plain =
        browser.authorizeParameters(TestClients.CLIENT_ID, TestClients.REDIRECT_URI, "patient/*.rs", Pkce.create());
    plain.put("code_challenge_method", "plain");
    assertThat(errorOf(browser.authorize(plain, "alice", "custodian-demo"))).isEqualTo("invalid_request");
  }

  @Test
  void theCodeNeedsTheRightVerifierAndWorksOnce() {
    Pkce pkce = Pkce.create();
    URI back = browser.authorize(
        browser.authorizeParameters(TestClients.CLIENT_ID, TestClients.REDIRECT_URI, "patient/*.rs", pkce),
        "bruno", "custodian-demo");
    String code = SmartLogin.query(back).get("code");
    assertThat(code).isNotBlank();

    TokenResponse wrongVerifier = browser.exchange(TestClients.CLIENT_ID, TestClients.REDIRECT_URI, code, Pkce.create());
    assertThat(wrongVerifier.status()).isEqualTo(400);
    assertThat(wrongVerifier.body().get("error")).isEqualTo("invalid_grant");
    assertThat(wrongVerifier.body()).doesNotContainKey("access_token");

    TokenResponse noVerifier = browser.exchange(TestClients.CLIENT_ID, TestClients.REDIRECT_URI, code, new Pkce("", ""));
    assertThat(noVerifier.status()).isEqualTo(400);
  }

  @Test
  void aCodeIsSingleUse() {
    Pkce pkce = Pkce.create();
    URI back = browser.authorize(
        browser.authorizeParameters(TestClients.CLIENT_ID, TestClients.REDIRECT_URI, "patient/*.rs", pkce),
        "bruno", "custodian-demo");
    String code = SmartLogin.query(back).get("code");
    assertThat(browser.exchange(TestClients.CLIENT_ID, TestClients.REDIRECT_URI, code, pkce).status()).isEqualTo(200);
    TokenResponse replay = browser.exchange(TestClients.CLIENT_ID, TestClients.REDIRECT_URI, code, pkce);
    assertThat(replay.status()).isEqualTo(400);
    assertThat(replay.body().get("error")).isEqualTo("invalid_grant");
  }

  @Test
  void malformedUnknownOrUngrantedScopesAreRefused() {
    for (String scope : List.of("patient/Spaceship.rs", "patient/Patient.rx", "patient/Patient.read?code=x", "patient/*.cruds system/*.rs")) {
      Map<String, String> params =
          browser.authorizeParameters(TestClients.CLIENT_ID, TestClients.REDIRECT_URI, scope, Pkce.create());
      URI back = browser.authorize(params, "alice", "custodian-demo");
      assertThat(errorOf(back)).as(scope).isEqualTo("invalid_scope");
      assertThat(SmartLogin.query(back).get("error_description")).as(scope).isNotBlank();
      assertThat(SmartLogin.query(back)).doesNotContainKey("code");
    }
  }

  @Test
  void aRedirectUriThatIsNotRegisteredExactlyGetsNoRedirect() {
    Map<String, String> params =
        browser.authorizeParameters(TestClients.CLIENT_ID, TestClients.REDIRECT_URI + "/evil", "patient/*.rs", Pkce.create());
    assertThatThrownBy(() -> browser.authorize(params, "alice", "custodian-demo"))
        .hasMessageContaining("no redirect back to the app");
  }

  @Test
  void theAudienceMustBeThisServer() {
    Map<String, String> params =
        browser.authorizeParameters(TestClients.CLIENT_ID, TestClients.REDIRECT_URI, "patient/*.rs", Pkce.create());
    params.put("aud", "https://elsewhere.example/fhir");
    assertThat(errorOf(browser.authorize(params, "alice", "custodian-demo"))).isEqualTo("invalid_request");
  }

  @Test
  void refreshTokensRotate() {
    browser.withClientSecret(TestClients.CONFIDENTIAL_SECRET);
    TokenResponse first =
        browser.login(TestClients.CONFIDENTIAL_ID, TestClients.REDIRECT_URI, "offline_access launch/patient patient/*.rs", "bruno", "custodian-demo");
    assertThat(first.refreshToken()).isNotBlank();
    TokenResponse second = refresh(first.refreshToken());
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.refreshToken()).isNotEqualTo(first.refreshToken());
    assertThat(http.withBearer(second.accessToken()).get("Patient/bruno").status()).isEqualTo(200);
    assertThat(refresh(first.refreshToken()).status()).as("a rotated refresh token is spent").isEqualTo(400);
  }

  @Test
  void reusingASpentRefreshTokenRevokesTheWholeFamily() {
    browser.withClientSecret(TestClients.CONFIDENTIAL_SECRET);
    TokenResponse first =
        browser.login(TestClients.CONFIDENTIAL_ID, TestClients.REDIRECT_URI, "offline_access launch/patient patient/*.rs", "bruno", "custodian-demo");
    TokenResponse second = refresh(first.refreshToken());
    assertThat(second.status()).isEqualTo(200);
    assertThat(http.withBearer(second.accessToken()).get("Patient/bruno").status()).isEqualTo(200);

    // someone replays the first, already rotated, refresh token
    assertThat(refresh(first.refreshToken()).status()).isEqualTo(400);
    // ...and the legitimate app's newest tokens are dead too
    assertThat(http.withBearer(second.accessToken()).get("Patient/bruno").status()).isEqualTo(401);
    assertThat(refresh(second.refreshToken()).status()).isEqualTo(400);
  }

  @Test
  void aRevokedAccessTokenStopsWorkingAtOnce() throws Exception {
    browser.withClientSecret(TestClients.CONFIDENTIAL_SECRET);
    TokenResponse tokens =
        browser.login(TestClients.CONFIDENTIAL_ID, TestClients.REDIRECT_URI, "launch/patient patient/*.rs", "bruno", "custodian-demo");
    assertThat(http.withBearer(tokens.accessToken()).get("Patient/bruno").status()).isEqualTo(200);

    Map<String, String> form = new LinkedHashMap<>();
    form.put("token", tokens.accessToken());
    form.put("token_type_hint", "access_token");
    form.put("client_id", TestClients.CONFIDENTIAL_ID);
    assertThat(browser.post("/oauth2/revoke", form).status()).isEqualTo(200);
    assertThat(http.withBearer(tokens.accessToken()).get("Patient/bruno").status()).isEqualTo(401);

    // both the issue and the revocation are in the audit trail, naming the token by its jti
    String jti = com.nimbusds.jwt.SignedJWT.parse(tokens.accessToken()).getJWTClaimsSet().getJWTID();
    java.util.List<org.hl7.fhir.r4.model.AuditEvent> tokenEvents = auditEvents.search(new dev.custodian.server.audit.store.AuditQuery(
        null, null, null, java.util.List.of(java.util.List.of(dev.custodian.server.audit.TokenEvents.TYPE_SYSTEM + "|oauth-token")),
        null, null, null, null, null, null, null, null, false), null, 50);
    assertThat(tokenEvents).filteredOn(e -> e.getAgentFirstRep().getPolicy().stream()
            .anyMatch(p -> p.getValue().equals("urn:ietf:params:oauth:jti:" + jti)))
        .extracting(e -> e.getSubtypeFirstRep().getCode())
        .contains("issued", "revoked");
  }

  @Test
  void introspectionDescribesAnActiveTokenWithItsSmartContext() {
    browser.withClientSecret(TestClients.CONFIDENTIAL_SECRET);
    TokenResponse tokens =
        browser.login(TestClients.CONFIDENTIAL_ID, TestClients.REDIRECT_URI,
            "openid fhirUser launch/patient patient/*.rs", "alice", "custodian-demo");
    Map<String, String> form = new LinkedHashMap<>();
    form.put("token", tokens.accessToken());
    form.put("client_id", TestClients.CONFIDENTIAL_ID);
    TokenResponse active = browser.post("/oauth2/introspect", form);
    assertThat(active.status()).isEqualTo(200);
    assertThat(active.body())
        .containsEntry("active", true)
        .containsEntry("client_id", TestClients.CONFIDENTIAL_ID)
        .containsEntry("sub", "alice")
        .containsEntry("iss", baseUrl())
        .containsEntry("patient", "alice")
        .containsEntry("fhirUser", "Patient/alice")
        .containsKey("exp");
    assertThat((String) active.body().get("scope")).contains("patient/*.rs");

    form.put("token", "not-a-token");
    assertThat(browser.post("/oauth2/introspect", form).body()).containsEntry("active", false);
  }

  @Test
  void anApiClientWithoutCredentialsGets401NotASignInPage() {
    for (String endpoint : List.of("/oauth2/token", "/oauth2/introspect", "/oauth2/revoke")) {
      TokenResponse response = new SmartLogin(baseUrl()).post(endpoint, new LinkedHashMap<>(Map.of("token", "x")));
      assertThat(response.status()).as(endpoint).isEqualTo(401);
      assertThat(response.body()).as(endpoint).containsEntry("error", "invalid_client");
    }
  }

  private TokenResponse refresh(String refreshToken) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "refresh_token");
    form.put("refresh_token", refreshToken);
    form.put("client_id", TestClients.CONFIDENTIAL_ID);
    return browser.token(form);
  }

  private static String errorOf(URI back) {
    assertThat(back.toString()).startsWith(TestClients.REDIRECT_URI);
    return SmartLogin.query(back).get("error");
  }
}
