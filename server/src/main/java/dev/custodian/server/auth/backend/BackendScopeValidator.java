package dev.custodian.server.auth.backend;

import dev.custodian.policy.scope.InvalidScopeException;
import dev.custodian.policy.scope.ScopeParser;
import dev.custodian.policy.scope.ScopeSet;
import dev.custodian.policy.scope.SmartScope;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * Checks a {@code client_credentials} request (SMART Backend Services) before a token is issued, in
 * place of Spring Authorization Server's exact-match scope check:
 *
 * <ul>
 *   <li>the client authenticated with a client assertion ({@code private_key_jwt}), else
 *       {@code unauthorized_client};</li>
 *   <li>a scope is asked for, every scope is a well-formed {@code system/} scope, and each is covered
 *       by the client's registered scopes (so {@code system/*.rs} covers
 *       {@code system/ImagingStudy.rs}), else {@code invalid_scope} with the reason.</li>
 * </ul>
 *
 * The token is issued for exactly the requested scopes.
 */
public final class BackendScopeValidator implements Consumer<OAuth2ClientCredentialsAuthenticationContext> {

  private final ScopeParser parser = ScopeParser.standard();

  @Override
  public void accept(OAuth2ClientCredentialsAuthenticationContext context) {
    RegisteredClient client = context.getRegisteredClient();
    if (!(context.getAuthentication().getPrincipal() instanceof OAuth2ClientAuthenticationToken authenticated)
        || !ClientAuthenticationMethod.PRIVATE_KEY_JWT.equals(authenticated.getClientAuthenticationMethod())
        || !BackendClients.isBackendClient(client)) {
      throw error(OAuth2ErrorCodes.UNAUTHORIZED_CLIENT,
          "client_credentials is for SMART Backend Services clients that authenticate with a client assertion");
    }
    java.util.Set<String> asked =
        ((OAuth2ClientCredentialsAuthenticationToken) context.getAuthentication()).getScopes();
    if (asked.isEmpty()) {
      throw error(OAuth2ErrorCodes.INVALID_SCOPE, "ask for the system/ scopes you need, e.g. system/ImagingStudy.rs");
    }
    ScopeSet requested;
    try {
      requested = parser.parse(String.join(" ", asked)).requireSystemOnly();
    } catch (InvalidScopeException e) {
      throw error(OAuth2ErrorCodes.INVALID_SCOPE, e.getMessage());
    }
    ScopeSet allowed = parser.parse(String.join(" ", client.getScopes()));
    List<String> uncovered =
        requested.scopes().stream().filter(s -> !allowed.covers(s)).map(SmartScope::value).toList();
    if (!uncovered.isEmpty()) {
      throw error(OAuth2ErrorCodes.INVALID_SCOPE, "this client may not request " + String.join(" ", uncovered));
    }
  }

  private static OAuth2AuthenticationException error(String code, String description) {
    return new OAuth2AuthenticationException(new OAuth2Error(code, description, null));
  }
}
