package dev.custodian.server.auth.backend;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.http.converter.OAuth2ErrorHttpMessageConverter;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

/**
 * A refused client authentication, as RFC 6749 section 5.2 has it: {@code invalid_client} with 401,
 * anything else with 400, as JSON — and, unlike Spring Authorization Server's default, with the
 * {@code error_description} saying which rule was broken (for a client assertion: the algorithm,
 * {@code aud}, {@code exp}, a replayed {@code jti}…). The descriptions name rules, never keys or
 * secrets.
 */
public final class ClientAuthenticationErrors implements AuthenticationFailureHandler {

  private final HttpMessageConverter<OAuth2Error> json = new OAuth2ErrorHttpMessageConverter();

  @Override
  public void onAuthenticationFailure(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
      throws IOException {
    SecurityContextHolder.clearContext();
    OAuth2Error error = exception instanceof OAuth2AuthenticationException oauth
        ? oauth.getError()
        : new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT, "client authentication failed", null);
    ServletServerHttpResponse http = new ServletServerHttpResponse(response);
    http.setStatusCode(OAuth2ErrorCodes.INVALID_CLIENT.equals(error.getErrorCode())
        ? HttpStatus.UNAUTHORIZED : HttpStatus.BAD_REQUEST);
    json.write(new OAuth2Error(error.getErrorCode(), error.getDescription(), null), null, http);
  }
}
