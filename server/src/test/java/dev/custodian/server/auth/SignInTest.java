package dev.custodian.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custodian.server.auth.users.UserAccount;
import dev.custodian.server.auth.users.UserAccountRepository;
import dev.custodian.server.support.ServerTestBase;
import dev.custodian.server.support.SmartLogin;
import dev.custodian.server.support.TestClients;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import dev.custodian.server.audit.store.AuditQuery;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.crypto.password.PasswordEncoder;

/** Signing in: password, then the TOTP code; repeated failures lock the account. */
class SignInTest extends ServerTestBase {

  @org.springframework.beans.factory.annotation.Autowired
  dev.custodian.server.audit.store.AuditEventStore auditEvents;

  @Autowired UserAccountRepository accounts;
  @Autowired PasswordEncoder passwords;

  @BeforeEach
  void clients() {
    TestClients.ensureRegistered(context);
  }

  @Test
  void aRightPasswordAloneGetsNoCode() {
    SmartLogin browser = new SmartLogin(baseUrl()).withWrongCode("000000");
    assertThatThrownBy(() -> browser.login(TestClients.CLIENT_ID, TestClients.REDIRECT_URI,
            "launch/patient patient/*.rs", "alice", DemoAccounts.DEMO_PASSWORD))
        .hasMessageContaining("second factor refused");
  }

  @Test
  void theRightCodeCompletesTheSignIn() {
    SmartLogin.TokenResponse tokens = new SmartLogin(baseUrl())
        .login(TestClients.CLIENT_ID, TestClients.REDIRECT_URI, "launch/patient patient/*.rs", "bruno", DemoAccounts.DEMO_PASSWORD);
    assertThat(tokens.body().get("patient")).isEqualTo("bruno");
  }

  @Test
  void repeatedWrongPasswordsLockTheAccountEvenForTheRightOne() {
    String username = "lockout-subject";
    fixtures.patientTreatedByDrChen(username);
    accounts.createIfAbsent(new UserAccount(username, passwords.encode("right-password-123"), "Lockout Subject",
        "Patient/" + username, Set.of("PATIENT"), null, true, DemoAccounts.demoTotpSecret(username), null));

    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> login(username, "wrong-password-" + System.nanoTime()))
          .hasMessageContaining("sign-in refused");
    }
    assertThatThrownBy(() -> login(username, "right-password-123")).hasMessageContaining("sign-in refused");
    assertThat(accounts.find(username).orElseThrow().isLockedAt(java.time.Instant.now())).isTrue();
  }

  @Test
  void wrongCodesCountTowardsTheLockout() {
    String username = "code-lockout-subject";
    fixtures.patientTreatedByDrChen(username);
    accounts.createIfAbsent(new UserAccount(username, passwords.encode("right-password-456"), "Code Lockout",
        "Patient/" + username, Set.of("PATIENT"), null, true, DemoAccounts.demoTotpSecret(username), null));
    for (int i = 0; i < 5; i++) {
      SmartLogin wrong = new SmartLogin(baseUrl()).withWrongCode("000000");
      assertThatThrownBy(() -> wrong.login(TestClients.CLIENT_ID, TestClients.REDIRECT_URI,
              "launch/patient patient/*.rs", username, "right-password-456"))
          .hasMessageContaining("refused");
    }
    assertThat(accounts.find(username).orElseThrow().isLockedAt(java.time.Instant.now())).isTrue();
    assertThatThrownBy(() -> login(username, "right-password-456")).hasMessageContaining("sign-in refused");
  }

  @Test
  void signInsAreAuditedWithTheirOutcome() {
    login("bruno", DemoAccounts.DEMO_PASSWORD);
    SmartLogin wrongCode = new SmartLogin(baseUrl()).withWrongCode("000000");
    assertThatThrownBy(() -> wrongCode.login(TestClients.CLIENT_ID, TestClients.REDIRECT_URI,
        "launch/patient patient/*.rs", "bruno", DemoAccounts.DEMO_PASSWORD)).hasMessageContaining("second factor refused");
    assertThatThrownBy(() -> login("ops.fox", "not-the-password")).hasMessageContaining("sign-in refused");
    login("bruno", DemoAccounts.DEMO_PASSWORD); // (and bruno's failure count is reset)

    List<AuditEvent> logins = auditEvents.search(
        new AuditQuery(null, null, null, null, List.of(List.of("http://dicom.nema.org/resources/ontology/DCM|110122")),
            null, null, null, null, null, null, null, false), null, 50);
    assertThat(logins).anyMatch(e -> e.getOutcome() == AuditEvent.AuditEventOutcome._0
        && "Patient/bruno".equals(e.getAgentFirstRep().getWho().getReference()));
    assertThat(logins).anyMatch(e -> e.getOutcome() == AuditEvent.AuditEventOutcome._4
        && "wrong second-factor code".equals(e.getOutcomeDesc())
        && "bruno".equals(e.getAgentFirstRep().getWho().getIdentifier().getValue()));
    assertThat(logins).anyMatch(e -> e.getOutcome() == AuditEvent.AuditEventOutcome._4
        && "wrong username or password".equals(e.getOutcomeDesc())
        && "ops.fox".equals(e.getAgentFirstRep().getWho().getIdentifier().getValue()));
  }

  private SmartLogin.TokenResponse login(String username, String password) {
    return new SmartLogin(baseUrl())
        .login(TestClients.CLIENT_ID, TestClients.REDIRECT_URI, "launch/patient patient/*.rs", username, password);
  }
}
