package dev.custodian.server.auth.admin;

import static org.springframework.security.web.util.matcher.AntPathRequestMatcher.antMatcher;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import dev.custodian.server.audit.ClientRegistrationEvents;
import dev.custodian.server.auth.AuthProperties;
import dev.custodian.server.auth.tokens.SmartTokenClaims;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.hl7.fhir.r4.model.IdType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The client admin API's beans and its filter chain: a bearer token from this server (signed,
 * unexpired, its grant still active — the same decoder as {@code /fhir}) whose user has the ADMIN
 * role; 401 without one, 403 for anyone else. Stateless, so no cookies and no CSRF.
 */
@Configuration(proxyBeanMethods = false)
public class ClientAdminConfig {

  /** The role of the people who manage clients (the demo's {@code admin}); it reaches no records. */
  public static final String ADMIN_ROLE = "ADMIN";

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
  public SecurityFilterChain clientAdminChain(HttpSecurity http) throws Exception {
    JwtGrantedAuthoritiesConverter roles = new JwtGrantedAuthoritiesConverter();
    roles.setAuthoritiesClaimName(SmartTokenClaims.ROLES);
    roles.setAuthorityPrefix("ROLE_");
    JwtAuthenticationConverter tokens = new JwtAuthenticationConverter();
    tokens.setJwtGrantedAuthoritiesConverter(roles);
    http.securityMatcher(antMatcher(ClientAdminApi.PATH + "/**")) // (covers /auth/clients itself too)
        .authorizeHttpRequests(requests -> requests.anyRequest().hasRole(ADMIN_ROLE))
        .oauth2ResourceServer(resourceServer -> resourceServer
            .jwt(jwt -> jwt.jwtAuthenticationConverter(tokens))
            .authenticationEntryPoint((request, response, failure) -> {
              response.setHeader("WWW-Authenticate", "Bearer realm=\"custodian\"");
              json(response, 401, "invalid_token", "an administrator's bearer token is required");
            })
            .accessDeniedHandler((request, response, denied) ->
                json(response, 403, "insufficient_scope", "only administrators may manage clients")))
        .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .csrf(csrf -> csrf.disable());
    return http.build();
  }

  private static void json(HttpServletResponse response, int status, String error, String description) throws IOException {
    response.setStatus(status);
    response.setContentType("application/json");
    response.getWriter().write("{\"error\":\"" + error + "\",\"error_description\":\"" + description + "\"}");
  }
}
