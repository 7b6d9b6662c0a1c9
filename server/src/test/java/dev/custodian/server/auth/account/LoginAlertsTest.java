package dev.custodian.server.auth.account;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.custodian.server.auth.users.UserAccount;
import dev.custodian.server.auth.users.UserAccountRepository;
import dev.custodian.server.support.ServerTestBase;
import dev.custodian.server.support.SmartLogin;
import dev.custodian.server.support.TestClients;
import java.net.http.HttpResponse;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Login alerts: a sign-in from a device (cookie) or an address not seen before for that person is
 * recorded and shown to them on {@code /account/sign-ins} (HTML and JSON), and to no one else.
 */
class LoginAlertsTest extends ServerTestBase {

  private static final String PASSWORD = "alerts-password-1234";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Autowired UserAccountRepository accounts;
  @Autowired PasswordEncoder passwords;
  @Autowired JdbcTemplate authJdbcTemplate;

  @BeforeEach
  void clients() {
    TestClients.ensureRegistered(context);
  }

  /** A patient account without a second factor (patients may choose): password-only sign-ins. */
  private String patient(String prefix) {
    String username = prefix + "-" + System.nanoTime();
    fixtures.patientTreatedByDrChen(username);
    accounts.createIfAbsent(new UserAccount(username, passwords.encode(PASSWORD), "Test " + username,
        "Patient/" + username, Set.of("PATIENT"), null, true, null, null));
    return username;
  }

  private static void signIn(SmartLogin browser, String user) {
    browser.login(TestClients.CLIENT_ID, TestClients.REDIRECT_URI, "openid", user, PASSWORD);
  }

  @Test
  void aSignInFromANewDeviceIsAnAlertTheUserSees() throws Exception {
    String user = patient("alerts");
    SmartLogin phone = new SmartLogin(baseUrl());
    signIn(phone, user);
    assertThat(phone.logout()).isEqualTo(302);
    signIn(phone, user); // the same device again
    SmartLogin laptop = new SmartLogin(baseUrl());
    signIn(laptop, user); // a new device

    HttpResponse<String> json = laptop.fetch("/account/sign-ins", "application/json");
    assertThat(json.statusCode()).isEqualTo(200);
    JsonNode signIns = JSON.readTree(json.body());
    assertThat(signIns).hasSize(3);
    // newest first: the laptop, the phone again, the phone's first sign-in
    assertThat(signIns.get(0).get("new_device").asBoolean()).isTrue();
    assertThat(signIns.get(0).get("new_address").asBoolean()).isFalse();
    assertThat(signIns.get(0).get("alert").asBoolean()).isTrue();
    assertThat(signIns.get(1).get("alert").asBoolean()).isFalse();
    assertThat(signIns.get(2).get("new_device").asBoolean()).isTrue();
    assertThat(signIns.get(2).get("new_address").asBoolean()).isTrue();
    assertThat(signIns.get(0).get("address").asText()).isEqualTo("127.0.0.1");

    String html = laptop.fetch("/account/sign-ins", "text/html").body();
    assertThat(html).contains("role=\"alert\">New device</strong>").contains("New device and new address");
    assertThat(laptop.fetch("/account/apps", "text/html").body()).contains("/account/sign-ins");

    // only hashes of device ids are kept
    assertThat(authJdbcTemplate.queryForList(
        "select device_hash from custodian_sign_in where username = ?", String.class, user))
        .hasSize(3).allMatch(hash -> hash.matches("[0-9a-f]{64}"));
  }

  @Test
  void everyoneSeesOnlyTheirOwnSignIns() throws Exception {
    String first = patient("alerts-a");
    String second = patient("alerts-b");
    SmartLogin a = new SmartLogin(baseUrl());
    signIn(a, first);
    signIn(new SmartLogin(baseUrl()), first);
    SmartLogin b = new SmartLogin(baseUrl());
    signIn(b, second);
    assertThat(JSON.readTree(b.fetch("/account/sign-ins", "application/json").body())).hasSize(1);
    assertThat(JSON.readTree(a.fetch("/account/sign-ins", "application/json").body())).hasSize(2);

    HttpResponse<String> stranger = new SmartLogin(baseUrl()).fetch("/account/sign-ins", "application/json");
    assertThat(stranger.statusCode()).isNotEqualTo(200);
    assertThat(stranger.body()).doesNotContain("127.0.0.1");
  }
}
