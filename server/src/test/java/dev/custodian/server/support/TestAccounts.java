package dev.custodian.server.support;

import dev.custodian.server.auth.DemoAccounts;
import dev.custodian.server.auth.users.UserAccount;
import dev.custodian.server.auth.users.UserAccountRepository;
import java.util.Set;
import org.springframework.context.ApplicationContext;
import org.springframework.security.crypto.password.PasswordEncoder;

/** Sign-in accounts the tests add beside the demo ones: the demo password and the demo TOTP derivation. */
public final class TestAccounts {

  private TestAccounts() {}

  /** Creates (once) {@code username} as {@code fhirUser} with {@code role}, optionally of {@code organization}. */
  public static void ensure(ApplicationContext context, String username, String fhirUser, String role, String organization) {
    context.getBean(UserAccountRepository.class).createIfAbsent(new UserAccount(
        username, context.getBean(PasswordEncoder.class).encode(DemoAccounts.DEMO_PASSWORD),
        "Test " + username, fhirUser, Set.of(role), organization, true,
        DemoAccounts.demoTotpSecret(username), null));
  }
}
