package dev.custodian.server.policy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.caller.PurposeOfUse;
import dev.custodian.policy.caller.Role;
import dev.custodian.policy.scope.ResourceScope;
import dev.custodian.policy.scope.ScopeContext;
import dev.custodian.policy.scope.ScopeParser;
import dev.custodian.policy.scope.ScopeSet;
import dev.custodian.server.auth.tokens.SmartTokenClaims;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Turns a verified access token into the one {@link Caller} the policy decides on: who (fhirUser),
 * which app (client id), roles and organization, the granted SMART scopes, the launch patient and
 * the token id. The purpose of use is fixed by the role for now (patients: PATRQT, clinicians:
 * TREAT, health plans: HPAYMT, operations and oversight staff: HOPERAT).
 *
 * <p>A SMART Backend Services token ({@code client_credentials}) carries the SYSTEM role, the
 * client's organization and {@code client_id}, and no user: it becomes a system caller acting for
 * treatment (TREAT) with its {@code system/} scopes. {@code system/} scopes in any other token are
 * ignored.
 */
public final class CallerFromToken {

  private final ScopeParser scopes = ScopeParser.standard();
  /**
   * The callers of recent tokens: a caller is a function of its token's claims alone, and parsing the
   * scopes on every request cost half as much as the policy's decision itself. Only a token that was
   * verified and found active for this request is ever looked up (revocation is checked before).
   */
  private final Cache<String, Caller> recent =
      Caffeine.newBuilder().maximumSize(2_000).expireAfterWrite(Duration.ofMinutes(30)).build();

  public Caller caller(Jwt token) {
    return recent.get(token.getTokenValue(), value -> fromClaims(token));
  }

  private Caller fromClaims(Jwt token) {
    Set<Role> roles = roles(token.getClaim(SmartTokenClaims.ROLES));
    ScopeSet granted = scopes.parse(String.join(" ", scopeList(token.getClaim("scope"))));
    String clientId = token.getAudience().isEmpty() ? token.getSubject() : token.getAudience().get(0);
    boolean system = roles.stream().anyMatch(role -> role.kind() == Role.Kind.CLIENT);
    if (system) {
      // a SMART Backend Services client acting for itself: no user, no launch patient, its
      // organization's treatment relationships, and system/ scopes only
      return new Caller(
          null,
          token.hasClaim(SmartTokenClaims.CLIENT_ID) ? token.getClaimAsString(SmartTokenClaims.CLIENT_ID) : clientId,
          roles,
          token.getClaimAsString(SmartTokenClaims.ORGANIZATION),
          only(granted, ScopeContext.SYSTEM, true),
          null,
          defaultPurpose(roles),
          null,
          tokenId(token));
    }
    granted = only(granted, ScopeContext.SYSTEM, false); // system/ scopes are never a user's
    return new Caller(
        token.getClaimAsString(SmartTokenClaims.FHIR_USER),
        clientId,
        roles,
        token.getClaimAsString(SmartTokenClaims.ORGANIZATION),
        granted,
        token.getClaimAsString(SmartTokenClaims.PATIENT),
        defaultPurpose(roles),
        null,
        tokenId(token));
  }

  private static String tokenId(Jwt token) {
    return token.getId() != null ? token.getId() : token.getTokenValue().substring(0, 16);
  }

  /** The resource scopes of {@code context} ({@code keep}) or all but those ({@code !keep}). */
  private static ScopeSet only(ScopeSet granted, ScopeContext context, boolean keep) {
    return ScopeSet.of(granted.scopes().stream()
        .filter(scope -> (scope instanceof ResourceScope resource && resource.context() == context) == keep)
        .toList());
  }

  static PurposeOfUse defaultPurpose(Set<Role> roles) {
    if (roles.contains(Role.PATIENT) || roles.contains(Role.REPRESENTATIVE)) {
      return PurposeOfUse.PATRQT;
    }
    if (roles.contains(Role.CLINICIAN) || roles.contains(Role.SYSTEM)) {
      return PurposeOfUse.TREAT;
    }
    if (roles.contains(Role.HEALTH_PLAN)) {
      return PurposeOfUse.HPAYMT;
    }
    return PurposeOfUse.HOPERAT;
  }

  private static Set<Role> roles(Object claim) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    if (claim instanceof Collection<?> values) {
      for (Object value : values) {
        try {
          roles.add(Role.valueOf(String.valueOf(value)));
        } catch (IllegalArgumentException unknown) {
          // a role this version does not know grants nothing
        }
      }
    }
    return roles;
  }

  private static List<String> scopeList(Object claim) {
    if (claim instanceof Collection<?> values) {
      return values.stream().map(String::valueOf).toList();
    }
    return claim == null ? List.of() : List.of(String.valueOf(claim).split(" "));
  }
}
