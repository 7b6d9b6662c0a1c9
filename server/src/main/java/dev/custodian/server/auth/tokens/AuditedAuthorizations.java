package dev.custodian.server.auth.tokens;

import dev.custodian.server.audit.TokenEvents;
import dev.custodian.server.auth.users.UserAccount;
import dev.custodian.server.auth.users.UserAccountRepository;
import java.util.Objects;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * Records token events as the authorization store sees them: a save that carries a new access
 * token is an issue; a save that invalidates the access token, or a removal, is a revocation. Sits
 * directly on the store, so every path — token endpoint, revocation endpoint, refresh-token reuse,
 * connected-apps revocation — is covered.
 */
public class AuditedAuthorizations implements OAuth2AuthorizationService {

  private final OAuth2AuthorizationService delegate;
  private final TokenEvents events;
  private final RegisteredClientRepository clients;
  private final UserAccountRepository accounts;

  public AuditedAuthorizations(
      OAuth2AuthorizationService delegate, TokenEvents events, RegisteredClientRepository clients,
      UserAccountRepository accounts) {
    this.delegate = delegate;
    this.events = events;
    this.clients = clients;
    this.accounts = accounts;
  }

  @Override
  public void save(OAuth2Authorization authorization) {
    OAuth2Authorization previous = delegate.findById(authorization.getId());
    delegate.save(authorization);
    OAuth2Authorization.Token<?> access = authorization.getAccessToken();
    if (access == null) {
      return;
    }
    OAuth2Authorization.Token<?> before = previous == null ? null : previous.getAccessToken();
    String value = access.getToken().getTokenValue();
    if (before == null || !Objects.equals(before.getToken().getTokenValue(), value)) {
      events.issued(authorization.getPrincipalName(), fhirUser(authorization), clientId(authorization), jti(access),
          String.join(" ", authorization.getAuthorizedScopes()));
    } else if (access.isInvalidated() && !before.isInvalidated()) {
      events.revoked(authorization.getPrincipalName(), fhirUser(authorization), clientId(authorization), jti(access),
          "access token revoked");
    }
  }

  @Override
  public void remove(OAuth2Authorization authorization) {
    delegate.remove(authorization);
    OAuth2Authorization.Token<?> access = authorization.getAccessToken();
    events.revoked(authorization.getPrincipalName(), fhirUser(authorization), clientId(authorization),
        access == null ? null : jti(access), "grant and all its tokens revoked");
  }

  @Override
  public OAuth2Authorization findById(String id) {
    return delegate.findById(id);
  }

  @Override
  public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
    return delegate.findByToken(token, tokenType);
  }

  private String clientId(OAuth2Authorization authorization) {
    RegisteredClient client = clients.findById(authorization.getRegisteredClientId());
    return client == null ? authorization.getRegisteredClientId() : client.getClientId();
  }

  private String fhirUser(OAuth2Authorization authorization) {
    return accounts.find(authorization.getPrincipalName()).map(UserAccount::fhirUser).orElse(null);
  }

  private static String jti(OAuth2Authorization.Token<?> token) {
    Object jti = token.getClaims() == null ? null : token.getClaims().get("jti");
    return jti == null ? null : jti.toString();
  }
}
