package dev.custodian.server.auth.tokens;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * A signed, unexpired JWT is not enough: the grant behind it must still be active, so that
 * revocation (of the token, its refresh family, or the app's connection) takes effect at once.
 */
public class ActiveTokenValidator implements OAuth2TokenValidator<Jwt> {

  private final OAuth2AuthorizationService authorizations;

  public ActiveTokenValidator(OAuth2AuthorizationService authorizations) {
    this.authorizations = authorizations;
  }

  @Override
  public OAuth2TokenValidatorResult validate(Jwt jwt) {
    OAuth2Authorization authorization =
        authorizations.findByToken(jwt.getTokenValue(), OAuth2TokenType.ACCESS_TOKEN);
    if (authorization == null
        || authorization.getAccessToken() == null
        || !authorization.getAccessToken().isActive()) {
      return OAuth2TokenValidatorResult.failure(
          new OAuth2Error("invalid_token", "The access token has been revoked or is unknown", null));
    }
    return OAuth2TokenValidatorResult.success();
  }
}
