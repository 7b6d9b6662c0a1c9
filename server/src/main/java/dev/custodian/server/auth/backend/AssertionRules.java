package dev.custodian.server.auth.backend;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The claims of a SMART Backend Services client assertion (its signature already verified), checked
 * in order, the {@code jti} last so that only an otherwise valid assertion spends its {@code jti}:
 *
 * <ul>
 *   <li>{@code exp} present, not past, and at most {@link #MAX_LIFETIME} ahead; {@code nbf}, if
 *       present, reached (each with {@link #CLOCK_SKEW} of tolerance);</li>
 *   <li>{@code iss} and {@code sub} both the client id;</li>
 *   <li>{@code aud} the token endpoint URL, exactly, and nothing else (an assertion meant for several
 *       servers could be spent at each of them);</li>
 *   <li>{@code jti} present, at most 255 characters, and never used before by this client.</li>
 * </ul>
 */
final class AssertionRules implements OAuth2TokenValidator<Jwt> {

  static final Duration MAX_LIFETIME = Duration.ofMinutes(5);
  static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
  static final int MAX_JTI_LENGTH = 255;

  private final String clientId;
  private final String tokenEndpoint;
  private final SeenAssertions seen;
  private final Clock clock;

  AssertionRules(String clientId, String tokenEndpoint, SeenAssertions seen, Clock clock) {
    this.clientId = clientId;
    this.tokenEndpoint = tokenEndpoint;
    this.seen = seen;
    this.clock = clock;
  }

  @Override
  public OAuth2TokenValidatorResult validate(Jwt assertion) {
    String problem = problem(assertion);
    return problem == null
        ? OAuth2TokenValidatorResult.success()
        : OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT, problem, null));
  }

  private String problem(Jwt assertion) {
    Instant now = clock.instant();
    Instant exp = assertion.getExpiresAt();
    if (exp == null) {
      return "the client assertion needs an exp";
    }
    if (exp.isBefore(now.minus(CLOCK_SKEW))) {
      return "the client assertion has expired";
    }
    if (exp.isAfter(now.plus(MAX_LIFETIME).plus(CLOCK_SKEW))) {
      return "the client assertion's exp may be at most 5 minutes in the future";
    }
    Instant nbf = assertion.getNotBefore();
    if (nbf != null && nbf.isAfter(now.plus(CLOCK_SKEW))) {
      return "the client assertion is not valid yet (nbf)";
    }
    if (!clientId.equals(assertion.getClaimAsString("iss")) || !clientId.equals(assertion.getSubject())) {
      return "the client assertion's iss and sub must both be the client id";
    }
    List<String> audience = assertion.getAudience();
    if (audience == null || !audience.equals(List.of(tokenEndpoint))) {
      return "the client assertion's aud must be the token endpoint URL, " + tokenEndpoint;
    }
    String jti = assertion.getId();
    if (jti == null || jti.isBlank()) {
      return "the client assertion needs a jti";
    }
    if (jti.length() > MAX_JTI_LENGTH) {
      return "the client assertion's jti may be at most " + MAX_JTI_LENGTH + " characters";
    }
    if (!seen.firstUse(clientId, jti, exp.plus(CLOCK_SKEW))) {
      return "the client assertion's jti was already used: each assertion is good for one token request";
    }
    return null;
  }
}
