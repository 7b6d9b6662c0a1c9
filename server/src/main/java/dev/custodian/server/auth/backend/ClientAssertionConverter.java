package dev.custodian.server.auth.backend;

import com.nimbusds.jwt.JWTParser;
import jakarta.servlet.http.HttpServletRequest;
import java.text.ParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Reads a JWT client assertion ({@code client_assertion_type} = {@value #ASSERTION_TYPE},
 * {@code client_assertion}) from a token, introspection or revocation request's form body. Unlike
 * Spring Authorization Server's own converter it does not require {@code client_id}: a SMART Backend
 * Services client sends none, and the client is the assertion's {@code iss} (the signature and every
 * claim are checked afterwards, against that client's registered keys). A {@code client_id} that is
 * sent must name the same client.
 */
public final class ClientAssertionConverter implements AuthenticationConverter {

  public static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
  static final ClientAuthenticationMethod JWT_ASSERTION = new ClientAuthenticationMethod(ASSERTION_TYPE);

  @Override
  public Authentication convert(HttpServletRequest request) {
    if (!"POST".equals(request.getMethod())) {
      return null;
    }
    Map<String, String[]> form = request.getParameterMap();
    String type = single(form, OAuth2ParameterNames.CLIENT_ASSERTION_TYPE);
    String assertion = single(form, OAuth2ParameterNames.CLIENT_ASSERTION);
    if (type == null && assertion == null) {
      return null;
    }
    if (request.getHeader("Authorization") != null || form.containsKey(OAuth2ParameterNames.CLIENT_SECRET)) {
      throw error(OAuth2ErrorCodes.INVALID_REQUEST, "use one client authentication method, not several");
    }
    String query = request.getQueryString();
    if (query != null && query.contains(OAuth2ParameterNames.CLIENT_ASSERTION)) {
      throw error(OAuth2ErrorCodes.INVALID_REQUEST, "send the client assertion in the form body, not the URL");
    }
    if (type == null || assertion == null || !ASSERTION_TYPE.equals(type)) {
      throw error(OAuth2ErrorCodes.INVALID_REQUEST,
          "client_assertion_type must be " + ASSERTION_TYPE + ", sent with one client_assertion");
    }
    String issuer;
    try {
      issuer = JWTParser.parse(assertion).getJWTClaimsSet().getIssuer();
    } catch (ParseException | RuntimeException e) {
      throw error(OAuth2ErrorCodes.INVALID_CLIENT, "the client_assertion is not a JWT");
    }
    if (issuer == null || issuer.isBlank()) {
      throw error(OAuth2ErrorCodes.INVALID_CLIENT, "the client_assertion needs an iss (the client id)");
    }
    String clientId = single(form, OAuth2ParameterNames.CLIENT_ID);
    if (clientId != null && !clientId.equals(issuer)) {
      throw error(OAuth2ErrorCodes.INVALID_CLIENT, "client_id and the client_assertion's iss differ");
    }
    Map<String, Object> additional = new HashMap<>();
    form.forEach((name, values) -> {
      if (!List.of(OAuth2ParameterNames.CLIENT_ID, OAuth2ParameterNames.CLIENT_ASSERTION_TYPE,
          OAuth2ParameterNames.CLIENT_ASSERTION).contains(name)) {
        additional.put(name, values.length == 1 ? values[0] : values);
      }
    });
    return new OAuth2ClientAuthenticationToken(issuer, JWT_ASSERTION, assertion, additional);
  }

  /** The parameter's only value; null if absent; invalid_request if it is repeated. */
  private static String single(Map<String, String[]> form, String name) {
    String[] values = form.get(name);
    if (values == null || values.length == 0) {
      return null;
    }
    if (values.length > 1) {
      throw error(OAuth2ErrorCodes.INVALID_REQUEST, name + " may be sent once");
    }
    return values[0].isEmpty() ? null : values[0];
  }

  private static OAuth2AuthenticationException error(String code, String description) {
    return new OAuth2AuthenticationException(new OAuth2Error(code, description, null));
  }
}
