package dev.custodian.server.auth.mfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.custodian.server.auth.users.UserAccount;
import dev.custodian.server.auth.users.UserAccountRepository;
import dev.custodian.server.support.ServerTestBase;
import dev.custodian.server.support.SmartLogin;
import dev.custodian.server.support.TestClients;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Second factors: staff without one can finish signing in only by enrolling one (the secret shown
 * once, in effect only after a right code); patients may choose (the default) or must (configured).
 */
class SecondFactorEnrolmentTest extends ServerTestBase {

  private static final String PASSWORD = "enrolment-password-123";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Autowired UserAccountRepository accounts;
  @Autowired PasswordEncoder passwords;

  @BeforeEach
  void clients() {
    TestClients.ensureRegistered(context);
  }

  private String account(String prefix, String role) {
    String username = prefix + "-" + System.nanoTime();
    String fhirUser = role.equals("PATIENT") ? "Patient/" + fixtures.patientTreatedByDrChen(username) : "Practitioner/dr.diaz";
    accounts.createIfAbsent(new UserAccount(username, passwords.encode(PASSWORD), "Test " + username, fhirUser,
        Set.of(role), role.equals("PATIENT") ? null : "Organization/imaging-centre", true, null, null));
    return username;
  }

  private static String wrongCode(String secret) {
    return String.format("%06d", (Integer.parseInt(Totp.code(secret, Instant.now())) + 500_000) % 1_000_000);
  }

  private static String location(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(302);
    return response.headers().firstValue("Location").orElseThrow();
  }

  @Test
  void staffWithoutASecondFactorCanOnlyFinishSigningInByEnrollingOne() throws Exception {
    String user = account("mfa-staff", "CLINICIAN");
    SmartLogin browser = new SmartLogin(baseUrl());
    SmartLogin.Pkce pkce = SmartLogin.Pkce.create();
    Map<String, String> authorize = browser.authorizeParameters(TestClients.CLIENT_ID, TestClients.REDIRECT_URI, "openid user/*.rs", pkce);
    URI stop = browser.authorize(authorize, user, PASSWORD);
    assertThat(stop.getPath()).isEqualTo("/login/enrol");

    // no way around the enrolment: no code for the app, no account pages, no code page
    assertThat(location(browser.fetch("/oauth2/authorize?" + SmartLogin.form(authorize), "text/html")))
        .endsWith("/login/enrol").doesNotContain("code=");
    assertThat(browser.fetch("/account/apps", "application/json").statusCode()).isNotEqualTo(200);
    assertThat(location(browser.fetch("/login/mfa", "text/html"))).endsWith("/login/enrol");

    JsonNode offer = JSON.readTree(browser.fetch("/login/enrol", "application/json").body());
    assertThat(offer.get("enrolled").asBoolean()).isFalse();
    String secret = offer.get("secret").asText();
    assertThat(secret).matches("[A-Z2-7]{32}");
    assertThat(offer.get("otpauth_uri").asText()).startsWith("otpauth://totp/").contains("secret=" + secret)
        .contains(user);
    assertThat(browser.enrolmentSecret()).as("the same secret until confirmed").isEqualTo(secret);

    assertThat(location(browser.submitEnrolment(wrongCode(secret)))).contains("/login/enrol?error");
    assertThat(accounts.find(user).orElseThrow().totpSecret()).as("not in effect before a right code").isNull();

    // a right code: on to the app's authorize request, which now gives the app its code
    String resumed = location(browser.submitEnrolment(Totp.code(secret, Instant.now())));
    assertThat(resumed).contains("/oauth2/authorize");
    URI back = URI.create(location(browser.fetch(
        resumed.startsWith(baseUrl()) ? resumed.substring(baseUrl().length()) : resumed, "text/html")));
    assertThat(back.toString()).startsWith(TestClients.REDIRECT_URI);
    assertThat(accounts.find(user).orElseThrow().totpSecret()).isEqualTo(secret);
    SmartLogin.TokenResponse tokens = browser.exchange(TestClients.CLIENT_ID, TestClients.REDIRECT_URI,
        SmartLogin.query(back).get("code"), pkce);
    assertThat(tokens.status()).isEqualTo(200);

    // shown once: enrolled, the page has no secret any more
    String after = browser.fetch("/login/enrol", "application/json").body();
    assertThat(after).contains("\"enrolled\":true").doesNotContain(secret);
    // and from now on the code is asked for
    assertThat(new SmartLogin(baseUrl()).withTotpSecrets(u -> secret)
        .login(TestClients.CLIENT_ID, TestClients.REDIRECT_URI, "openid", user, PASSWORD).status()).isEqualTo(200);
    assertThatThrownBy(() -> new SmartLogin(baseUrl()).withWrongCode(wrongCode(secret))
        .login(TestClients.CLIENT_ID, TestClients.REDIRECT_URI, "openid", user, PASSWORD))
        .hasMessageContaining("second factor refused");
  }

  @Test
  void theEnrolmentPageIsNotForStrangers() {
    SmartLogin stranger = new SmartLogin(baseUrl());
    assertThat(location(stranger.fetch("/login/enrol", "text/html"))).endsWith("/login");
    assertThat(location(stranger.fetch("/login/enrol", "application/json"))).endsWith("/login");
  }

  @Test
  void aPatientMayChooseASecondFactor() {
    String user = account("mfa-patient", "PATIENT");
    SmartLogin browser = new SmartLogin(baseUrl()).withTotpSecrets(u -> {
      throw new AssertionError("no code may be asked for before enrolment");
    });
    assertThat(browser.login(TestClients.CLIENT_ID, TestClients.REDIRECT_URI, "openid", user, PASSWORD).status())
        .isEqualTo(200);

    String secret = browser.enrolmentSecret();
    assertThat(secret).isNotNull();
    assertThat(location(browser.submitEnrolment(Totp.code(secret, Instant.now())))).endsWith("/login/enrol");
    assertThat(accounts.find(user).orElseThrow().totpSecret()).isEqualTo(secret);
    assertThat(new SmartLogin(baseUrl()).withTotpSecrets(u -> secret)
        .login(TestClients.CLIENT_ID, TestClients.REDIRECT_URI, "openid", user, PASSWORD).status()).isEqualTo(200);
  }

  @Test
  void staffAlwaysNeedASecondFactorPatientsWhenConfigured() {
    UserAccount patient = new UserAccount("p", "", "P", "Patient/p", Set.of("PATIENT"), null, true);
    UserAccount clinician = new UserAccount("c", "", "C", "Practitioner/c", Set.of("CLINICIAN"), "Organization/o", true);
    UserAccount admin = new UserAccount("a", "", "A", null, Set.of("ADMIN"), null, true);
    LoginProperties optional = new LoginProperties(0, null, null);
    LoginProperties required = new LoginProperties(0, null, LoginProperties.PatientMfa.REQUIRED);
    assertThat(optional.secondFactorRequired(patient)).isFalse();
    assertThat(optional.secondFactorRequired(clinician)).isTrue();
    assertThat(optional.secondFactorRequired(admin)).isTrue();
    assertThat(required.secondFactorRequired(patient)).isTrue();
    assertThat(context.getBean(LoginProperties.class).patientMfa()).isEqualTo(LoginProperties.PatientMfa.OPTIONAL);
  }
}
