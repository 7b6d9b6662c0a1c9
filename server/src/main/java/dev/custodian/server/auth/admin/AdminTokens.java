package dev.custodian.server.auth.admin;

import dev.custodian.policy.scope.NonResourceScope;
import dev.custodian.server.auth.tokens.SmartTokenClaims;
import java.util.Collection;
import java.util.List;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * What a bearer token needs to reach the client admin API: the scope {@value #SCOPE}, which only a
 * dedicated admin client (one registered for it and for nothing that reaches records, such as the
 * demo's {@code admin-console}) can be granted, and a signed-in user with the ADMIN role. Either alone
 * is not enough: the administrator signed in to a patient app, or a clinician signed in to the admin
 * console, is refused.
 */
public final class AdminTokens {

  /** The admin scope, {@code custodian/admin}. */
  public static final String SCOPE = NonResourceScope.ADMIN.value();
  /** The role of the people who manage clients (the demo's {@code admin}); it reaches no records. */
  public static final String ROLE = "ADMIN";

  private AdminTokens() {}

  /** {@code null} when {@code token} may manage clients, else why not (for the 403 and the audit trail). */
  public static String refusal(Jwt token) {
    if (!strings(token.getClaim("scope")).contains(SCOPE)) {
      return "this token was not granted the scope " + SCOPE
          + ": sign in to an admin client (the demo's admin-console) and ask for it";
    }
    if (!strings(token.getClaim(SmartTokenClaims.ROLES)).contains(ROLE)) {
      return "only administrators may manage clients";
    }
    return null;
  }

  /** The app the token was issued to (its audience, as Spring Authorization Server sets it). */
  public static String clientId(Jwt token) {
    return token.getAudience() == null || token.getAudience().isEmpty() ? null : token.getAudience().get(0);
  }

  private static List<String> strings(Object claim) {
    if (claim instanceof Collection<?> values) {
      return values.stream().map(String::valueOf).toList();
    }
    return claim == null ? List.of() : List.of(String.valueOf(claim).split(" "));
  }
}
