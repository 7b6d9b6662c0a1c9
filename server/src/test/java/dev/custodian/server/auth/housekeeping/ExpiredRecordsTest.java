package dev.custodian.server.auth.housekeeping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.server.auth.DemoAccounts;
import dev.custodian.server.support.FhirHttp;
import dev.custodian.server.support.ServerTestBase;
import dev.custodian.server.support.SmartLogin;
import dev.custodian.server.support.SmartLogin.TokenResponse;
import dev.custodian.server.support.TestClients;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The purge of expired authorization records: real grants made through the SMART flow, aged in the
 * database as time would age them; what is still valid (or only just expired) stays and keeps
 * working, what can no longer do anything goes.
 */
class ExpiredRecordsTest extends ServerTestBase {

  @Autowired ExpiredRecords records;
  @Autowired JdbcTemplate authJdbcTemplate;

  @BeforeEach
  void clients() {
    TestClients.ensureRegistered(context);
  }

  private TokenResponse login(String username, String scope) {
    return new SmartLogin(baseUrl()).withClientSecret(TestClients.CONFIDENTIAL_SECRET)
        .login(TestClients.CONFIDENTIAL_ID, TestClients.REDIRECT_URI, scope, username, DemoAccounts.DEMO_PASSWORD);
  }

  private TokenResponse refresh(String refreshToken) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "refresh_token");
    form.put("refresh_token", refreshToken);
    form.put("client_id", TestClients.CONFIDENTIAL_ID);
    return new SmartLogin(baseUrl()).withClientSecret(TestClients.CONFIDENTIAL_SECRET).token(form);
  }

  private String grantOf(String accessToken) {
    return authJdbcTemplate.queryForObject(
        "select id from oauth2_authorization where access_token_value = ?", String.class, accessToken);
  }

  private boolean exists(String grant) {
    return authJdbcTemplate.queryForObject(
        "select count(*) from oauth2_authorization where id = ?", Integer.class, grant) == 1;
  }

  /** Ages a grant: its code and access token expired {@code ago}, its refresh token at {@code refreshAgo} (null: none/unchanged). */
  private void age(String grant, Duration ago, Duration refreshAgo) {
    // (issued before they expired, as real tokens are: Spring Authorization Server insists)
    Instant then = Instant.now().minus(ago);
    authJdbcTemplate.update(
        "update oauth2_authorization set authorization_code_issued_at = ?, authorization_code_expires_at = ?,"
            + " access_token_issued_at = ?, access_token_expires_at = ? where id = ?",
        Timestamp.from(then.minusSeconds(600)), Timestamp.from(then), Timestamp.from(then.minusSeconds(600)),
        Timestamp.from(then), grant);
    if (refreshAgo != null) {
      Instant refreshThen = Instant.now().minus(refreshAgo);
      authJdbcTemplate.update(
          "update oauth2_authorization set refresh_token_issued_at = ?, refresh_token_expires_at = ? where id = ?",
          Timestamp.from(refreshThen.minus(Duration.ofDays(30))), Timestamp.from(refreshThen), grant);
    }
  }

  @Test
  void expiredGrantsGoAndValidOnesStayAndKeepWorking() {
    TokenResponse valid = login("alice", "launch/patient patient/*.rs");
    TokenResponse expired = login("bruno", "launch/patient patient/*.rs");
    TokenResponse justExpired = login("bruno", "launch/patient patient/*.rs");
    TokenResponse liveRefresh = login("alice", "offline_access launch/patient patient/*.rs");
    TokenResponse deadFamily = login("bruno", "offline_access launch/patient patient/*.rs");
    TokenResponse rotated = refresh(deadFamily.refreshToken()); // leaves a spent refresh token behind
    assertThat(rotated.status()).isEqualTo(200);
    TokenResponse liveRotated = refresh(liveRefresh.refreshToken());
    assertThat(liveRotated.status()).isEqualTo(200);

    String validGrant = grantOf(valid.accessToken());
    String expiredGrant = grantOf(expired.accessToken());
    String justExpiredGrant = grantOf(justExpired.accessToken());
    String liveRefreshGrant = grantOf(liveRotated.accessToken());
    String deadFamilyGrant = grantOf(rotated.accessToken());
    age(expiredGrant, Duration.ofHours(2), null);
    age(justExpiredGrant, Duration.ofMinutes(1), null);
    age(liveRefreshGrant, Duration.ofHours(2), null);              // access token expired, refresh token alive
    age(deadFamilyGrant, Duration.ofHours(2), Duration.ofHours(1)); // everything expired
    assertThat(spentOf(deadFamilyGrant)).isEqualTo(1);
    assertThat(spentOf(liveRefreshGrant)).isEqualTo(1);

    ExpiredRecords.Purged purged = records.purge();

    assertThat(purged.grants()).isGreaterThanOrEqualTo(2);
    assertThat(exists(expiredGrant)).as("expired two hours ago").isFalse();
    assertThat(exists(deadFamilyGrant)).as("all its tokens expired").isFalse();
    assertThat(spentOf(deadFamilyGrant)).as("its spent refresh tokens").isZero();
    assertThat(exists(justExpiredGrant)).as("expired within the grace period").isTrue();
    assertThat(exists(validGrant)).isTrue();
    assertThat(exists(liveRefreshGrant)).isTrue();
    assertThat(spentOf(liveRefreshGrant)).as("reuse detection of a live family").isEqualTo(1);

    // what stayed still works: the valid access token on FHIR, the live refresh token at the token endpoint
    assertThat(new FhirHttp(PORT, fhirContext).withBearer(valid.accessToken()).get("Patient/alice").status())
        .isEqualTo(200);
    assertThat(refresh(liveRotated.refreshToken()).status()).isEqualTo(200);
    // and the reuse of a spent token of the live family is still detected
    assertThat(refresh(liveRefresh.refreshToken()).status()).isEqualTo(400);
    assertThat(exists(liveRefreshGrant)).as("family revoked on reuse").isFalse();
  }

  private int spentOf(String grant) {
    return authJdbcTemplate.queryForObject(
        "select count(*) from custodian_spent_refresh_token where authorization_id = ?", Integer.class, grant);
  }

  @Test
  void expiredLaunchContextsAndAssertionIdsGoLiveOnesStay() {
    String prefix = "hk-" + System.nanoTime() + "-";
    launch(prefix + "old", Duration.ofHours(-2));
    launch(prefix + "recent", Duration.ofMinutes(-10));
    launch(prefix + "live", Duration.ofMinutes(4));
    jti(prefix + "old", Duration.ofMinutes(-1));
    jti(prefix + "live", Duration.ofMinutes(4));

    ExpiredRecords.Purged purged = records.purge();

    assertThat(purged.launchContexts()).isGreaterThanOrEqualTo(1);
    assertThat(launches(prefix)).containsExactlyInAnyOrder(hash(prefix + "recent"), hash(prefix + "live"));
    assertThat(authJdbcTemplate.queryForList(
        "select jti from custodian_client_assertion_jti where jti like ?", String.class, prefix + "%"))
        .containsExactly(prefix + "live");
  }

  @Test
  void orphanedSignInSessionRowsGoThoseOfLiveGrantsStay() {
    TokenResponse online = login("bruno", "online_access launch/patient patient/*.rs");
    String liveKey = context.getBean(org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService.class)
        .findById(grantOf(online.accessToken())).getAttribute(dev.custodian.server.auth.launch.LaunchAttributes.SIGN_IN_SESSION);
    String orphan = "hk-orphan-" + System.nanoTime();
    String young = "hk-young-" + System.nanoTime();
    Timestamp twoDaysAgo = Timestamp.from(Instant.now().minus(Duration.ofDays(2)));
    authJdbcTemplate.update("insert into custodian_sign_in_session (session_key, username, created_at) values (?, 'bruno', ?)",
        orphan, twoDaysAgo);
    authJdbcTemplate.update("insert into custodian_sign_in_session (session_key, username) values (?, 'bruno')", young);
    authJdbcTemplate.update("update custodian_sign_in_session set created_at = ? where session_key = ?", twoDaysAgo, liveKey);

    assertThat(records.purge().signInSessions()).isGreaterThanOrEqualTo(1);

    assertThat(authJdbcTemplate.queryForList(
        "select session_key from custodian_sign_in_session where session_key in (?, ?, ?)", String.class, orphan, young, liveKey))
        .containsExactlyInAnyOrder(young, liveKey);
    assertThat(refresh(online.refreshToken()).status()).as("the live session's grant still refreshes").isEqualTo(200);
  }

  private void launch(String name, Duration expiresIn) {
    authJdbcTemplate.update(
        "insert into custodian_launch_context (launch_hash, created_by, client_id, patient, expires_at) values (?, 'demo-ehr', 'demo-ehr', 'alice', ?)",
        hash(name), Timestamp.from(Instant.now().plus(expiresIn)));
  }

  private void jti(String jti, Duration expiresIn) {
    authJdbcTemplate.update("insert into custodian_client_assertion_jti (client_id, jti, expires_at) values ('hk-client', ?, ?)",
        jti, Timestamp.from(Instant.now().plus(expiresIn)));
  }

  private java.util.List<String> launches(String prefix) {
    return authJdbcTemplate.queryForList("select launch_hash from custodian_launch_context where created_by = 'demo-ehr'", String.class)
        .stream().filter(h -> h.equals(hash(prefix + "old")) || h.equals(hash(prefix + "recent")) || h.equals(hash(prefix + "live")))
        .toList();
  }

  private static String hash(String value) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(value.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
