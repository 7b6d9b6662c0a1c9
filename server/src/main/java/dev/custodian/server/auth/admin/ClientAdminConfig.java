package dev.custodian.server.auth.admin;

import static org.springframework.security.web.util.matcher.AntPathRequestMatcher.antMatcher;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import dev.custodian.server.audit.ClientRegistrationEvents;
import dev.custodian.server.auth.AuthProperties;
import dev.custodian.server.auth.tokens.SmartTokenClaims;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;
import org.hl7.fhir.r4.model.IdType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The client admin API's beans and its filter chain: a bearer token from this server (signed,
 * unexpired, its grant still active — the same decoder as {@code /fhir}) that {@link AdminTokens}
 * accepts: the {@code custodian/admin} scope of a dedicated admin client and a user with the ADMIN
 * role. 401 without a valid token; 403 for any other token, recorded in the audit trail. Stateless,
 * so no cookies and no CSRF.
 */
@Configuration(proxyBeanMethods = false)
public class ClientAdminConfig {

  @Bean
  public ClientRegistrations clientRegistrations(RegisteredClientRepository clients,
      OAuth2AuthorizationService authorizations, JdbcTemplate authJdbcTemplate, PasswordEncoder passwords,
      AuthProperties properties, ClientRegistrationEvents audit, DaoRegistry daos) {
    return new ClientRegistrations(clients, authorizations, authJdbcTemplate, passwords, properties, audit,
        organization -> {
          try {
            return daos.getResourceDao("Organization").read(new IdType(organization), new SystemRequestDetails()) != null;
          } catch (ResourceNotFoundException | ResourceGoneException e) {
            return false;
          }
        });
  }

  @Bean
  @Order(0)
  public SecurityFilterChain clientAdminChain(HttpSecurity http, ClientRegistrationEvents audit) throws Exception {
    http.securityMatcher(antMatcher(ClientAdminApi.PATH + "/**")) // (covers /auth/clients itself too)
        .authorizeHttpRequests(requests -> requests.anyRequest().access((authentication, context) ->
            new AuthorizationDecision(authentication.get() instanceof JwtAuthenticationToken token
                && AdminTokens.refusal(token.getToken()) == null)))
        .oauth2ResourceServer(resourceServer -> resourceServer
            .jwt(jwt -> { })
            .authenticationEntryPoint((request, response, failure) -> {
              response.setHeader("WWW-Authenticate", "Bearer realm=\"custodian\"");
              json(response, 401, "invalid_token", "an administrator's bearer token is required");
            })
            .accessDeniedHandler((request, response, denied) -> refuse(request, response, audit)))
        .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .csrf(csrf -> csrf.disable());
    return http.build();
  }

  /** A valid token that may not manage clients: 403 saying why, and an audit event naming who and which app. */
  private static void refuse(HttpServletRequest request, HttpServletResponse response, ClientRegistrationEvents audit)
      throws IOException {
    String reason = "only administrators may manage clients";
    if (SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken token) {
      Jwt jwt = token.getToken();
      reason = Objects.requireNonNullElse(AdminTokens.refusal(jwt), reason);
      audit.refused(request, jwt.getSubject(), jwt.getClaimAsString(SmartTokenClaims.FHIR_USER), AdminTokens.clientId(jwt),
          request.getMethod() + " " + request.getRequestURI() + ": " + reason);
    }
    response.setHeader("WWW-Authenticate",
        "Bearer realm=\"custodian\", error=\"insufficient_scope\", scope=\"" + AdminTokens.SCOPE + "\"");
    json(response, 403, "insufficient_scope", reason);
  }

  private static void json(HttpServletResponse response, int status, String error, String description) throws IOException {
    response.setStatus(status);
    response.setContentType("application/json");
    response.getWriter().write("{\"error\":\"" + error + "\",\"error_description\":\"" + description + "\"}");
  }
}
