package dev.custodian.server.auth.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.custodian.server.auth.AuthProperties;
import dev.custodian.server.auth.DemoAccounts;
import dev.custodian.server.support.ServerTestBase;
import dev.custodian.server.support.SmartLogin;
import dev.custodian.server.support.SmartLogin.TokenResponse;
import dev.custodian.server.support.TestClients;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;

/**
 * The connected-apps page over real HTTP: alice authorizes apps through the SMART flow, sees them
 * listed in the same browser session, revokes one (its tokens die at once, the others live), and
 * nobody else sees or revokes her apps.
 */
@SuppressWarnings("unchecked")
class ConnectedAppsTest extends ServerTestBase {

  /** A public app only alice connects to in these tests, so that "not on bruno's page" means something. */
  private static final String ALICE_ONLY = "connected-apps-alice-only";
  private static final String ALICE_ONLY_NAME = "Alice only diary app";
  private static final String SCOPE = "launch/patient patient/*.rs";
  private static final ObjectMapper JSON = new ObjectMapper();

  @BeforeEach
  void clients() {
    TestClients.ensureRegistered(context);
    RegisteredClientRepository clients = context.getBean(RegisteredClientRepository.class);
    if (clients.findByClientId(ALICE_ONLY) == null) {
      clients.save(RegisteredClient.withId(UUID.randomUUID().toString())
          .clientId(ALICE_ONLY)
          .clientName(ALICE_ONLY_NAME)
          .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
          .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
          .redirectUri(TestClients.REDIRECT_URI)
          .scopes(s -> s.addAll(List.of(SCOPE.split(" "))))
          .clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(false).build())
          .tokenSettings(DemoAccounts.tokenSettings(context.getBean(AuthProperties.class)))
          .build());
    }
  }

  @Test
  void aliceSeesHerAppsAndRevokingOneKillsOnlyItsTokens() throws Exception {
    SmartLogin alice = new SmartLogin(baseUrl());
    TokenResponse publicApp = alice.login(TestClients.CLIENT_ID, TestClients.REDIRECT_URI, SCOPE, "alice",
        DemoAccounts.DEMO_PASSWORD);
    TokenResponse ownApp = alice.login(ALICE_ONLY, TestClients.REDIRECT_URI, SCOPE, "alice",
        DemoAccounts.DEMO_PASSWORD);
    alice.withClientSecret(TestClients.CONFIDENTIAL_SECRET);
    TokenResponse confidential = alice.login(TestClients.CONFIDENTIAL_ID, TestClients.REDIRECT_URI,
        SCOPE + " offline_access", "alice", DemoAccounts.DEMO_PASSWORD);
    assertThat(confidential.refreshToken()).isNotBlank();
    for (TokenResponse tokens : List.of(publicApp, ownApp, confidential)) {
      assertThat(http.withBearer(tokens.accessToken()).get("Patient/alice").status()).isEqualTo(200);
    }

    // the page, in the browser session she signed in with
    HttpResponse<String> page = alice.connectedApps("text/html");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).startsWith("default-src 'none'");
    assertThat(page.body()).doesNotContain("<script")
        .contains("Custodian integration tests (confidential)", "Custodian integration tests", ALICE_ONLY_NAME,
            "patient/*.rs", "offline_access", "/account/apps/" + TestClients.CONFIDENTIAL_ID + "/revoke");
    Map<String, Map<String, Object>> apps = apps(alice);
    assertThat(apps).containsKeys(TestClients.CLIENT_ID, TestClients.CONFIDENTIAL_ID, ALICE_ONLY);
    Map<String, Object> confidentialRow = apps.get(TestClients.CONFIDENTIAL_ID);
    assertThat(confidentialRow.get("name")).isEqualTo("Custodian integration tests (confidential)");
    assertThat((List<Object>) confidentialRow.get("scopes")).contains("launch/patient", "patient/*.rs", "offline_access");
    assertThat((String) confidentialRow.get("first_granted")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat((String) confidentialRow.get("last_used")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat((List<Object>) apps.get(ALICE_ONLY).get("scopes")).containsExactlyInAnyOrder("launch/patient", "patient/*.rs");

    // without the CSRF token: refused, and nothing revoked
    assertThat(alice.revokeApp(TestClients.CONFIDENTIAL_ID, false)).isEqualTo(403);
    assertThat(http.withBearer(confidential.accessToken()).get("Patient/alice").status()).isEqualTo(200);
    assertThat(introspect(alice, confidential.accessToken())).containsEntry("active", true);

    // an unknown client, or a forged id: 404, nothing changes
    assertThat(alice.revokeApp("no-such-app", true)).isEqualTo(404);
    assertThat(alice.revokeApp("x' or '1'='1", true)).isEqualTo(404);
    assertThat(apps(alice)).containsKeys(TestClients.CLIENT_ID, TestClients.CONFIDENTIAL_ID, ALICE_ONLY);

    // revoked: the access token is dead at once, introspection says so, the refresh token is refused
    assertThat(alice.revokeApp(TestClients.CONFIDENTIAL_ID, true)).isEqualTo(303);
    assertThat(http.withBearer(confidential.accessToken()).get("Patient/alice").status()).isEqualTo(401);
    assertThat(introspect(alice, confidential.accessToken())).containsEntry("active", false);
    assertThat(introspect(alice, confidential.refreshToken())).containsEntry("active", false);
    Map<String, String> refresh = new LinkedHashMap<>();
    refresh.put("grant_type", "refresh_token");
    refresh.put("refresh_token", confidential.refreshToken());
    refresh.put("client_id", TestClients.CONFIDENTIAL_ID);
    TokenResponse refreshed = alice.token(refresh);
    assertThat(refreshed.status()).isEqualTo(400);
    assertThat(refreshed.body()).containsEntry("error", "invalid_grant");
    assertThat(apps(alice)).doesNotContainKey(TestClients.CONFIDENTIAL_ID).containsKeys(TestClients.CLIENT_ID, ALICE_ONLY);
    assertThat(alice.connectedApps("text/html").body()).doesNotContain("Custodian integration tests (confidential)");

    // her other apps still work
    assertThat(http.withBearer(publicApp.accessToken()).get("Patient/alice").status()).isEqualTo(200);
    assertThat(http.withBearer(ownApp.accessToken()).get("Patient/alice").status()).isEqualTo(200);
    // revoking it again: nothing left to revoke
    assertThat(alice.revokeApp(TestClients.CONFIDENTIAL_ID, true)).isEqualTo(404);
  }

  @Test
  void brunoNeitherSeesNorRevokesAlicesApps() throws Exception {
    SmartLogin alice = new SmartLogin(baseUrl());
    TokenResponse aliceApp = alice.login(ALICE_ONLY, TestClients.REDIRECT_URI, SCOPE, "alice", DemoAccounts.DEMO_PASSWORD);
    SmartLogin bruno = new SmartLogin(baseUrl());
    bruno.login(TestClients.CLIENT_ID, TestClients.REDIRECT_URI, SCOPE, "bruno", DemoAccounts.DEMO_PASSWORD);

    Map<String, Map<String, Object>> brunos = apps(bruno);
    assertThat(brunos).containsKey(TestClients.CLIENT_ID).doesNotContainKey(ALICE_ONLY);
    assertThat(bruno.connectedApps("text/html").body()).contains("bruno").doesNotContain(ALICE_ONLY_NAME);

    // bruno cannot revoke alice's grant: he has none with that app
    assertThat(bruno.revokeApp(ALICE_ONLY, true)).isEqualTo(404);
    assertThat(http.withBearer(aliceApp.accessToken()).get("Patient/alice").status()).isEqualTo(200);
    assertThat(apps(alice)).containsKey(ALICE_ONLY);
  }

  @Test
  void thePageNeedsACompleteSignIn() {
    SmartLogin stranger = new SmartLogin(baseUrl());
    HttpResponse<String> page = stranger.connectedApps("text/html");
    assertThat(page.statusCode()).isEqualTo(302);
    assertThat(page.headers().firstValue("Location").orElseThrow()).endsWith("/login");
    assertThat(stranger.revokeApp(TestClients.CLIENT_ID, false)).isIn(302, 401, 403);

    // the right password but a wrong second-factor code: still not signed in
    SmartLogin halfway = new SmartLogin(baseUrl()).withWrongCode("not-a-code");
    assertThatThrownBy(() -> halfway.login(TestClients.CLIENT_ID, TestClients.REDIRECT_URI, SCOPE, "alice",
        DemoAccounts.DEMO_PASSWORD)).hasMessageContaining("second factor refused");
    HttpResponse<String> pending = halfway.connectedApps("text/html");
    assertThat(pending.statusCode()).isIn(302, 403);
    assertThat(pending.body()).doesNotContain("Connected apps");
  }

  /** Her connected apps as JSON, by client id (a duplicate client fails the test). */
  private static Map<String, Map<String, Object>> apps(SmartLogin browser) throws Exception {
    HttpResponse<String> response = browser.connectedApps("application/json");
    assertThat(response.statusCode()).isEqualTo(200);
    List<Map<String, Object>> rows = JSON.readValue(response.body(), List.class);
    Map<String, Map<String, Object>> byClient = new LinkedHashMap<>();
    for (Map<String, Object> row : rows) {
      assertThat(byClient.put((String) row.get("client_id"), row)).as("one row per client").isNull();
    }
    return byClient;
  }

  private static Map<String, Object> introspect(SmartLogin confidentialClient, String token) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("token", token);
    form.put("client_id", TestClients.CONFIDENTIAL_ID);
    TokenResponse response = confidentialClient.post("/oauth2/introspect", form);
    assertThat(response.status()).isEqualTo(200);
    return response.body();
  }
}
