package dev.custodian.server.auth.launch;

import java.util.Set;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

/**
 * Refresh tokens only for grants that asked for one, as SMART says: {@code offline_access} (lives
 * its full lifetime) or {@code online_access} (only while the user's sign-in session lives, see
 * {@link SignInSessions}). A rotation keeps issuing them for such a grant.
 */
public final class SmartRefreshTokens implements OAuth2TokenGenerator<OAuth2RefreshToken> {

  private final OAuth2TokenGenerator<OAuth2RefreshToken> delegate;

  public SmartRefreshTokens(OAuth2TokenGenerator<OAuth2RefreshToken> delegate) {
    this.delegate = delegate;
  }

  @Override
  public OAuth2RefreshToken generate(OAuth2TokenContext context) {
    if (!OAuth2TokenType.REFRESH_TOKEN.equals(context.getTokenType())) {
      return null;
    }
    Set<String> granted = AuthorizationGrantType.REFRESH_TOKEN.equals(context.getAuthorizationGrantType())
        && context.getAuthorization() != null
        ? context.getAuthorization().getAuthorizedScopes()
        : context.getAuthorizedScopes();
    if (!granted.contains("offline_access") && !granted.contains("online_access")) {
      return null;
    }
    return delegate.generate(context);
  }
}
