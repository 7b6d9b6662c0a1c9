package dev.custodian.server.auth.launch;

import static org.springframework.security.web.util.matcher.AntPathRequestMatcher.antMatcher;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import dev.custodian.policy.AccessPolicy;
import dev.custodian.server.auth.AuthProperties;
import dev.custodian.server.auth.smart.SmartAuthorizeRequestValidator;
import dev.custodian.server.auth.users.UserAccountRepository;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.token.DelegatingOAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.JwtGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2AccessTokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2RefreshTokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.web.SecurityFilterChain;

/**
 * SMART launches: EHR launch contexts and their API, the patient picker, sign-in sessions for
 * {@code online_access}, and the token generator that issues refresh tokens only for
 * {@code offline_access} or {@code online_access}.
 */
@Configuration(proxyBeanMethods = false)
public class LaunchConfig {

  @Bean
  public LaunchContexts launchContexts(JdbcTemplate authJdbcTemplate) {
    return new LaunchContexts(authJdbcTemplate, Clock.systemUTC());
  }

  /** Also a session listener (Spring Boot registers it with the servlet container). */
  @Bean
  public SignInSessions signInSessions(JdbcTemplate authJdbcTemplate) {
    return new SignInSessions(authJdbcTemplate);
  }

  @Bean
  public SignOutRevocation signOutRevocation(JdbcTemplate authJdbcTemplate, OAuth2AuthorizationService authorizations) {
    return new SignOutRevocation(authJdbcTemplate, authorizations);
  }

  @Bean
  public TreatedPatients treatedPatients(DaoRegistry daos, AccessPolicy accessPolicy) {
    return new TreatedPatients(daos, accessPolicy);
  }

  @Bean
  public RepresentedPatient representedPatient(DaoRegistry daos, AccessPolicy accessPolicy) {
    return new RepresentedPatient(daos, accessPolicy);
  }

  @Bean
  public SmartAuthorizationEndpoint smartAuthorizationEndpoint(
      AuthProperties properties,
      LaunchContexts launches,
      TreatedPatients treated,
      RepresentedPatient represented,
      UserAccountRepository accounts,
      OAuth2AuthorizationService authorizations,
      SignInSessions sessions) {
    return new SmartAuthorizationEndpoint(
        new SmartAuthorizeRequestValidator(properties.fhirBase()), launches, treated, represented, accounts,
        authorizations, sessions);
  }

  /** Spring Authorization Server's token generators, with refresh tokens only where SMART asks for them. */
  @Bean
  public OAuth2TokenGenerator<?> tokenGenerator(
      JWKSource<SecurityContext> jwkSource, OAuth2TokenCustomizer<JwtEncodingContext> smartTokenClaims) {
    JwtGenerator jwt = new JwtGenerator(new NimbusJwtEncoder(jwkSource));
    jwt.setJwtCustomizer(smartTokenClaims);
    return new DelegatingOAuth2TokenGenerator(
        jwt, new OAuth2AccessTokenGenerator(), new SmartRefreshTokens(new OAuth2RefreshTokenGenerator()));
  }

  /**
   * {@code POST /auth/launch}: registered EHRs only, with their client id and secret (HTTP Basic);
   * no session, no cookies, so no CSRF.
   */
  @Bean
  @Order(0)
  public SecurityFilterChain ehrLaunchChain(
      HttpSecurity http, RegisteredClientRepository clients, PasswordEncoder passwords) throws Exception {
    http.securityMatcher(antMatcher(EhrLaunchApi.PATH))
        // (other methods reach Spring MVC, which answers 405)
        .authorizeHttpRequests(requests -> requests.anyRequest().hasAuthority(EhrClients.AUTHORITY))
        .authenticationManager(new ProviderManager(new EhrClients(clients, passwords)))
        .httpBasic(basic -> basic.authenticationEntryPoint((request, response, failure) -> {
          response.setStatus(401);
          response.setHeader("WWW-Authenticate", "Basic realm=\"custodian\"");
          response.setContentType("application/json");
          response.getWriter().write(
              "{\"error\":\"invalid_client\",\"error_description\":\"an EHR's client id and secret (HTTP Basic) are required\"}");
        }))
        .exceptionHandling(errors -> errors.accessDeniedHandler((request, response, denied) -> {
          response.setStatus(403);
          response.setContentType("application/json");
          response.getWriter().write(
              "{\"error\":\"unauthorized_client\",\"error_description\":\"this client may not create EHR launches\"}");
        }))
        .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .csrf(csrf -> csrf.disable());
    return http.build();
  }
}
