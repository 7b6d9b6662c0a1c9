package dev.custodian.server.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import dev.custodian.server.auth.backend.ClientAssertionDecoders;
import dev.custodian.server.auth.backend.SeenAssertions;
import dev.custodian.server.auth.mfa.LoginProperties;
import dev.custodian.server.auth.mfa.SignInFlow;
import dev.custodian.server.auth.smart.SmartConfigurationServlet;
import dev.custodian.server.auth.tokens.ActiveTokenValidator;
import dev.custodian.server.auth.tokens.RefreshTokenFamilies;
import dev.custodian.server.auth.tokens.SigningKeys;
import dev.custodian.server.auth.tokens.SmartTokenClaims;
import dev.custodian.server.auth.users.AccountUserDetailsService;
import dev.custodian.server.auth.users.UserAccountRepository;
import java.io.IOException;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.JdbcRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configuration.OAuth2AuthorizationServerConfiguration;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * The beans of Custodian's SMART authorization server: users, clients and grants in PostgreSQL
 * (shared by every server node), the token-signing key, and the JWT decoder the FHIR endpoint
 * checks bearer tokens with.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({AuthProperties.class, LoginProperties.class})
public class AuthorizationServerConfig {

  @Bean
  @DependsOn("custodianFlyway")
  public JdbcTemplate authJdbcTemplate(DataSource dataSource, Flyway custodianFlyway) {
    return new JdbcTemplate(dataSource);
  }

  @Bean
  public UserAccountRepository userAccountRepository(JdbcTemplate authJdbcTemplate) {
    return new UserAccountRepository(authJdbcTemplate);
  }

  @Bean
  public SignInFlow signInFlow(
      UserAccountRepository accounts, LoginProperties rules, dev.custodian.server.audit.SignInEvents signInEvents,
      dev.custodian.server.auth.account.SignInHistory signInHistory) {
    return new SignInFlow(accounts, rules, java.time.Clock.systemUTC(), signInEvents, signInHistory);
  }

  @Bean
  public dev.custodian.server.auth.account.SignInHistory signInHistory(JdbcTemplate authJdbcTemplate) {
    return new dev.custodian.server.auth.account.SignInHistory(authJdbcTemplate, java.time.Clock.systemUTC());
  }

  @Bean
  public AccountUserDetailsService userDetailsService(UserAccountRepository accounts) {
    return new AccountUserDetailsService(accounts);
  }

  /** Argon2id for new hashes (as DESIGN.md says); bcrypt hashes are still recognised. */
  @Bean
  public PasswordEncoder passwordEncoder() {
    String argon2 = "argon2";
    return new DelegatingPasswordEncoder(
        argon2,
        Map.of(
            argon2, Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8(),
            "bcrypt", new BCryptPasswordEncoder()));
  }

  @Bean
  public RegisteredClientRepository registeredClientRepository(JdbcTemplate authJdbcTemplate) {
    return new JdbcRegisteredClientRepository(authJdbcTemplate);
  }

  @Bean
  public OAuth2AuthorizationService authorizationService(
      JdbcTemplate authJdbcTemplate, RegisteredClientRepository clients,
      dev.custodian.server.audit.TokenEvents tokenEvents, UserAccountRepository accounts) {
    // audited next to the store, so the family revocation of a reused refresh token is recorded too
    return new RefreshTokenFamilies(
        new dev.custodian.server.auth.tokens.AuditedAuthorizations(
            // one connection per call: the JDBC store looks up each row's client while reading it
            new dev.custodian.server.auth.tokens.SharedConnectionAuthorizations(
                new JdbcOAuth2AuthorizationService(authJdbcTemplate, clients), authJdbcTemplate.getDataSource()),
            tokenEvents, clients, accounts),
        authJdbcTemplate);
  }

  @Bean
  public OAuth2AuthorizationConsentService authorizationConsentService(
      JdbcTemplate authJdbcTemplate, RegisteredClientRepository clients) {
    return new JdbcOAuth2AuthorizationConsentService(authJdbcTemplate, clients);
  }

  @Bean
  public SeenAssertions seenAssertions(JdbcTemplate authJdbcTemplate) {
    return new SeenAssertions(authJdbcTemplate, java.time.Clock.systemUTC());
  }

  /** SMART Backend Services client assertions: their {@code aud} must be our token endpoint URL. */
  @Bean
  public ClientAssertionDecoders clientAssertionDecoders(
      AuthProperties properties, AuthorizationServerSettings settings, SeenAssertions seen) {
    return new ClientAssertionDecoders(
        properties.issuer() + settings.getTokenEndpoint(), seen, java.time.Clock.systemUTC());
  }

  @Bean
  public JWKSource<SecurityContext> jwkSource(AuthProperties properties) {
    return SigningKeys.load(properties.signingKeystore(), properties.signingKeystorePassword());
  }

  @Bean
  public AuthorizationServerSettings authorizationServerSettings(AuthProperties properties) {
    return AuthorizationServerSettings.builder().issuer(properties.issuer()).build();
  }

  @Bean
  public OAuth2TokenCustomizer<JwtEncodingContext> smartTokenClaims(
      UserAccountRepository accounts, dev.custodian.server.auth.launch.SignInSessions sessions) {
    return new SmartTokenClaims(accounts, sessions);
  }

  /** Bearer tokens on /fhir: signed by our key, from our issuer, unexpired, and still active. */
  @Bean
  public JwtDecoder jwtDecoder(
      JWKSource<SecurityContext> jwkSource,
      AuthProperties properties,
      OAuth2AuthorizationService authorizations) {
    NimbusJwtDecoder decoder = (NimbusJwtDecoder) OAuth2AuthorizationServerConfiguration.jwtDecoder(jwkSource);
    decoder.setJwtValidator(
        new DelegatingOAuth2TokenValidator<>(
            JwtValidators.createDefaultWithIssuer(properties.issuer()),
            new ActiveTokenValidator(authorizations)));
    return decoder;
  }

  @Bean
  public ServletRegistrationBean<SmartConfigurationServlet> smartConfiguration(
      AuthProperties properties, ObjectMapper json) throws IOException {
    ServletRegistrationBean<SmartConfigurationServlet> registration =
        new ServletRegistrationBean<>(
            new SmartConfigurationServlet(properties.issuer(), json), SmartConfigurationServlet.PATH);
    registration.setName("smartConfiguration");
    return registration;
  }
}
