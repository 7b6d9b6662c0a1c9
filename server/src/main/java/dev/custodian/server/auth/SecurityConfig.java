package dev.custodian.server.auth;

import static org.springframework.security.web.util.matcher.AntPathRequestMatcher.antMatcher;

import dev.custodian.server.auth.smart.SmartAuthorizeRequestValidator;
import dev.custodian.server.auth.smart.SmartConfigurationServlet;
import dev.custodian.server.auth.tokens.LaunchContextResponse;
import dev.custodian.server.fhir.FhirUnauthorizedEntryPoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configurers.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2AccessTokenResponseAuthenticationSuccessHandler;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;

/**
 * Three filter chains: the authorization server's endpoints; the FHIR endpoint, which takes only
 * bearer tokens from that server (its CapabilityStatement and SMART discovery stay public); and
 * the sign-in pages.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfig {

  @Bean
  @Order(1)
  public SecurityFilterChain authorizationServerChain(
      HttpSecurity http, AuthProperties properties, OAuth2AuthorizationService authorizations)
      throws Exception {
    OAuth2AuthorizationServerConfigurer server = OAuth2AuthorizationServerConfigurer.authorizationServer();
    SmartAuthorizeRequestValidator smartChecks = new SmartAuthorizeRequestValidator(properties.fhirBase());
    OAuth2AccessTokenResponseAuthenticationSuccessHandler tokenResponse =
        new OAuth2AccessTokenResponseAuthenticationSuccessHandler();
    tokenResponse.setAccessTokenResponseCustomizer(new LaunchContextResponse(authorizations));

    http.securityMatcher(server.getEndpointsMatcher())
        .with(
            server,
            as ->
                as.authorizationEndpoint(
                        endpoint ->
                            endpoint.authenticationProviders(
                                providers ->
                                    providers.forEach(
                                        provider -> {
                                          if (provider instanceof OAuth2AuthorizationCodeRequestAuthenticationProvider codes) {
                                            codes.setAuthenticationValidator(smartChecks);
                                          }
                                        })))
                    .tokenEndpoint(endpoint -> endpoint.accessTokenResponseHandler(tokenResponse))
                    .oidc(Customizer.withDefaults()))
        .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
        .exceptionHandling(
            errors ->
                errors.defaultAuthenticationEntryPointFor(
                    new LoginUrlAuthenticationEntryPoint("/login"),
                    new MediaTypeRequestMatcher(MediaType.TEXT_HTML)));
    return http.build();
  }

  @Bean
  @Order(2)
  public SecurityFilterChain fhirChain(HttpSecurity http, FhirUnauthorizedEntryPoint unauthorized)
      throws Exception {
    http.securityMatcher(antMatcher("/fhir/**"))
        .authorizeHttpRequests(
            requests ->
                requests
                    .requestMatchers(
                        antMatcher(HttpMethod.GET, "/fhir/metadata"),
                        antMatcher(HttpMethod.GET, SmartConfigurationServlet.PATH))
                    .permitAll()
                    .anyRequest()
                    .authenticated())
        .oauth2ResourceServer(
            resourceServer ->
                resourceServer.jwt(Customizer.withDefaults()).authenticationEntryPoint(unauthorized))
        .exceptionHandling(errors -> errors.authenticationEntryPoint(unauthorized))
        .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .csrf(csrf -> csrf.disable());
    return http.build();
  }

  @Bean
  @Order(3)
  public SecurityFilterChain signInChain(HttpSecurity http) throws Exception {
    http.authorizeHttpRequests(
            requests -> requests.requestMatchers("/login", "/error").permitAll().anyRequest().authenticated())
        .formLogin(Customizer.withDefaults());
    return http.build();
  }
}
