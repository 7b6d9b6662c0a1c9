package dev.custodian.server.auth.tokens;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;

/**
 * Adds the SMART launch context ({@code patient}, {@code encounter}) to the token response, next to the access token
 * whose claims carry it.
 */
public class LaunchContextResponse implements Consumer<OAuth2AccessTokenAuthenticationContext> {

  private final OAuth2AuthorizationService authorizations;

  public LaunchContextResponse(OAuth2AuthorizationService authorizations) {
    this.authorizations = authorizations;
  }

  @Override
  public void accept(OAuth2AccessTokenAuthenticationContext context) {
    OAuth2AccessTokenAuthenticationToken token = context.getAuthentication();
    OAuth2Authorization authorization =
        authorizations.findByToken(token.getAccessToken().getTokenValue(), OAuth2TokenType.ACCESS_TOKEN);
    if (authorization == null || authorization.getAccessToken() == null) {
      return;
    }
    Map<String, Object> claims = authorization.getAccessToken().getClaims();
    if (claims != null && claims.get(SmartTokenClaims.PATIENT) != null) {
      Map<String, Object> extra = new HashMap<>(token.getAdditionalParameters());
      extra.put(SmartTokenClaims.PATIENT, claims.get(SmartTokenClaims.PATIENT));
      if (claims.get(SmartTokenClaims.ENCOUNTER) != null) {
        extra.put(SmartTokenClaims.ENCOUNTER, claims.get(SmartTokenClaims.ENCOUNTER));
      }
      context.getAccessTokenResponse().additionalParameters(extra);
    }
  }
}
