package dev.custodian.server.auth.backend;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;

/**
 * Spring Authorization Server's client-assertion authentication (which also verifies PKCE for
 * confidential clients), with {@link ClientAssertionDecoders} as its decoders, and a refusal that
 * says why: {@code invalid_client} with the broken rule ({@code aud}, {@code exp}, replayed
 * {@code jti}…) rather than only "client_assertion", so that a partner's developers can fix their
 * client. The reason never reveals key material.
 */
public final class ClientAssertionAuthentication implements AuthenticationProvider {

  private static final Logger log = LoggerFactory.getLogger(ClientAssertionAuthentication.class);

  private final JwtClientAssertionAuthenticationProvider delegate;

  public ClientAssertionAuthentication(JwtClientAssertionAuthenticationProvider delegate, ClientAssertionDecoders decoders) {
    this.delegate = delegate;
    delegate.setJwtDecoderFactory(decoders);
  }

  @Override
  public Authentication authenticate(Authentication authentication) {
    try {
      return delegate.authenticate(authentication);
    } catch (OAuth2AuthenticationException e) {
      String why = reason(e);
      log.info("Client assertion of {} refused: {}", authentication.getPrincipal(), why);
      throw new OAuth2AuthenticationException(
          new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT, why, e.getError().getUri()), why, e);
    }
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return OAuth2ClientAuthenticationToken.class.isAssignableFrom(authentication);
  }

  private static String reason(OAuth2AuthenticationException e) {
    if (e.getCause() instanceof JwtValidationException invalid && !invalid.getErrors().isEmpty()) {
      return invalid.getErrors().iterator().next().getDescription();
    }
    if (e.getCause() != null) {
      return "the client assertion must be a JWT signed RS384 or ES384 with a key registered for the client";
    }
    String description = e.getError().getDescription();
    if (description != null && description.endsWith("client_id")) {
      return "unknown client";
    }
    if (description != null && description.endsWith("authentication_method")) {
      return "this client does not authenticate with a client assertion";
    }
    return description == null ? "client authentication failed" : description;
  }
}
