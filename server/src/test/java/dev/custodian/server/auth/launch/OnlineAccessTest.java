package dev.custodian.server.auth.launch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.server.auth.DemoAccounts;
import dev.custodian.server.support.ServerTestBase;
import dev.custodian.server.support.SmartLogin;
import dev.custodian.server.support.SmartLogin.TokenResponse;
import dev.custodian.server.support.TestClients;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.Session;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;

/**
 * Refresh tokens as SMART asks for them: {@code online_access} ones work only while the sign-in
 * session they were granted in lives (logout or the idle timeout ends them); {@code offline_access}
 * ones outlive it; without either there is none.
 */
class OnlineAccessTest extends ServerTestBase {

  private static final String SCOPES = "launch/patient patient/*.rs";
  private SmartLogin browser;

  @BeforeEach
  void setUp() {
    TestClients.ensureRegistered(context);
    browser = new SmartLogin(baseUrl()).withClientSecret(TestClients.CONFIDENTIAL_SECRET);
  }

  @Test
  void anOnlineRefreshTokenDiesWithTheSignInSessionAtLogout() {
    TokenResponse first = login("online_access " + SCOPES);
    assertThat(first.refreshToken()).isNotBlank();
    TokenResponse second = refresh(first.refreshToken());
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.body()).containsEntry("patient", "bruno");

    assertThat(browser.logout()).isEqualTo(302);
    TokenResponse afterLogout = refresh(second.refreshToken());
    assertThat(afterLogout.status()).isEqualTo(400);
    assertThat(afterLogout.body()).containsEntry("error", "invalid_grant").doesNotContainKey("access_token");
    assertThat((String) afterLogout.body().get("error_description")).contains("sign-in session");

    // signing in again starts a new session; it does not bring the old grant back
    login("launch/patient patient/*.rs");
    assertThat(refresh(second.refreshToken()).status()).isEqualTo(400);
  }

  @Test
  void anOnlineRefreshTokenDiesWhenTheSessionTimesOut() {
    TokenResponse tokens = login("online_access " + SCOPES);
    TokenResponse refreshed = refresh(tokens.refreshToken());
    assertThat(refreshed.status()).isEqualTo(200);
    expireSession(browser.sessionId()); // what the idle timeout does
    assertThat(refresh(refreshed.refreshToken()).body()).containsEntry("error", "invalid_grant");
  }

  @Test
  void anOfflineRefreshTokenOutlivesTheSession() {
    TokenResponse tokens = login("offline_access " + SCOPES);
    assertThat(browser.logout()).isEqualTo(302);
    TokenResponse refreshed = refresh(tokens.refreshToken());
    assertThat(refreshed.status()).isEqualTo(200);
    assertThat(refreshed.refreshToken()).isNotBlank();
  }

  @Test
  void withoutOfflineOrOnlineAccessThereIsNoRefreshToken() {
    TokenResponse tokens = login(SCOPES);
    assertThat(tokens.accessToken()).isNotBlank();
    assertThat(tokens.body()).doesNotContainKey("refresh_token");
  }

  private TokenResponse login(String scope) {
    return browser.login(TestClients.CONFIDENTIAL_ID, TestClients.REDIRECT_URI, scope, "bruno", DemoAccounts.DEMO_PASSWORD);
  }

  private TokenResponse refresh(String refreshToken) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "refresh_token");
    form.put("refresh_token", refreshToken == null ? "none" : refreshToken);
    form.put("client_id", TestClients.CONFIDENTIAL_ID);
    return browser.token(form);
  }

  private void expireSession(String id) {
    TomcatWebServer server = (TomcatWebServer) ((WebServerApplicationContext) context).getWebServer();
    Context web = (Context) server.getTomcat().getHost().findChildren()[0];
    try {
      Session session = web.getManager().findSession(id);
      assertThat(session).as("the browser's sign-in session").isNotNull();
      session.expire();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
