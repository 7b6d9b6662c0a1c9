package dev.custodian.server.auth.smart;

import dev.custodian.policy.scope.InvalidScopeException;
import dev.custodian.policy.scope.ScopeParser;
import dev.custodian.policy.scope.ScopeSet;
import dev.custodian.policy.scope.SmartScope;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * Checks a SMART authorize request before Spring Authorization Server's own checks (redirect URI,
 * PKCE S256, prompt):
 *
 * <ul>
 *   <li>{@code aud} must name this server's FHIR base URL;
 *   <li>every requested scope must parse as a SMART scope (v1 or v2, granular filters) — malformed
 *       or unknown scopes are refused with {@code invalid_scope} and the reason; so are
 *       {@code system/} scopes, which only backend services clients get;
 *   <li>every requested scope must be covered by a scope the client is registered for (so a client
 *       registered for {@code patient/*.rs} may ask for {@code patient/ImagingStudy.rs}).
 * </ul>
 *
 * Spring's default scope check wants exact matches, so it then runs against a copy of the client
 * whose scopes are the (already covered) requested ones.
 */
public class SmartAuthorizeRequestValidator
    implements Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> {

  private final String fhirBase;
  private final ScopeParser parser = ScopeParser.standard();
  private final Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> springChecks =
      new OAuth2AuthorizationCodeRequestAuthenticationValidator();

  public SmartAuthorizeRequestValidator(String fhirBase) {
    this.fhirBase = fhirBase;
  }

  @Override
  public void accept(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
    OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
    RegisteredClient client = context.getRegisteredClient();

    // The redirect URI first: errors after this point are sent back to a redirect URI we trust.
    OAuth2AuthorizationCodeRequestAuthenticationValidator.DEFAULT_REDIRECT_URI_VALIDATOR.accept(context);

    Object aud = request.getAdditionalParameters().get("aud");
    if (aud == null || !fhirBase.equals(stripSlash(aud.toString()))) {
      throw error(request, OAuth2ErrorCodes.INVALID_REQUEST,
          "aud must be this server's FHIR base URL, " + fhirBase);
    }

    ScopeSet requested;
    try {
      requested = parser.parse(String.join(" ", request.getScopes()));
    } catch (InvalidScopeException e) {
      throw error(request, OAuth2ErrorCodes.INVALID_SCOPE, e.getMessage());
    }
    if (requested.contexts().contains(dev.custodian.policy.scope.ScopeContext.SYSTEM)) {
      throw error(request, OAuth2ErrorCodes.INVALID_SCOPE,
          "system/ scopes are for SMART Backend Services (client_credentials), not for a user's authorization");
    }
    ScopeSet allowed = parser.parse(String.join(" ", client.getScopes()));
    List<String> uncovered =
        requested.scopes().stream().filter(s -> !allowed.covers(s)).map(SmartScope::value).toList();
    if (!uncovered.isEmpty()) {
      throw error(request, OAuth2ErrorCodes.INVALID_SCOPE,
          "this client may not request " + String.join(" ", uncovered));
    }

    RegisteredClient narrowed =
        RegisteredClient.from(client).scopes(s -> {
          s.clear();
          s.addAll(request.getScopes());
        }).build();
    springChecks.accept(
        OAuth2AuthorizationCodeRequestAuthenticationContext.with(request).registeredClient(narrowed).build());
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static OAuth2AuthorizationCodeRequestAuthenticationException error(
      OAuth2AuthorizationCodeRequestAuthenticationToken request, String code, String description) {
    return new OAuth2AuthorizationCodeRequestAuthenticationException(
        new OAuth2Error(code, description, null), request);
  }
}
