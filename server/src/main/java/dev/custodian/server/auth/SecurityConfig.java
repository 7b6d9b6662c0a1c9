package dev.custodian.server.auth;

import static org.springframework.security.web.util.matcher.AntPathRequestMatcher.antMatcher;

import dev.custodian.server.auth.backend.BackendScopeValidator;
import dev.custodian.server.auth.backend.ClientAssertionAuthentication;
import dev.custodian.server.auth.backend.ClientAssertionConverter;
import dev.custodian.server.auth.backend.ClientAssertionDecoders;
import dev.custodian.server.auth.backend.ClientAuthenticationErrors;
import dev.custodian.server.auth.mfa.SecondFactorPending;
import dev.custodian.server.auth.mfa.SignInFlow;
import dev.custodian.server.auth.launch.SmartAuthorizationEndpoint;
import dev.custodian.server.auth.smart.SmartConfigurationServlet;
import dev.custodian.server.auth.tokens.LaunchContextResponse;
import dev.custodian.server.dicomweb.DicomwebUnauthorizedEntryPoint;
import dev.custodian.server.fhir.FhirUnauthorizedEntryPoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configurers.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.server.authorization.web.authentication.JwtClientAssertionAuthenticationConverter;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2AccessTokenResponseAuthenticationSuccessHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;

/**
 * Seven filter chains: the authorization server's endpoints; the FHIR endpoint, which takes only
 * bearer tokens from that server (its CapabilityStatement and SMART discovery stay public); DICOMweb,
 * bearer tokens only; share links ({@code /share/**}, public, strict headers) and their owners' API
 * (bearer tokens only); the
 * SMART apps' static files (public, read-only, under a strict Content-Security-Policy); and the
 * sign-in pages (password, then the TOTP code for accounts that have a second factor).
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfig {

  /**
   * The SMART apps' policy: their own scripts, styles and images only, calls to this server only
   * (FHIR and the token endpoint), no framing, no forms, no inline code.
   */
  public static final String APPS_CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
          + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  @Bean
  @Order(1)
  public SecurityFilterChain authorizationServerChain(
      HttpSecurity http,
      OAuth2AuthorizationService authorizations,
      SignInFlow signIn,
      ClientAssertionDecoders clientAssertions,
      SmartAuthorizationEndpoint launchSteps)
      throws Exception {
    OAuth2AuthorizationServerConfigurer server = OAuth2AuthorizationServerConfigurer.authorizationServer();
    OAuth2AccessTokenResponseAuthenticationSuccessHandler tokenResponse =
        new OAuth2AccessTokenResponseAuthenticationSuccessHandler();
    tokenResponse.setAccessTokenResponseCustomizer(new LaunchContextResponse(authorizations));

    http.securityMatcher(server.getEndpointsMatcher())
        .with(
            server,
            as ->
                // SMART request checks, EHR launch, the patient picker, online_access
                as.authorizationEndpoint(launchSteps)
                    // SMART Backend Services: client assertions (RS384/ES384, inline JWKS or
                    // jwks_uri, jti replay refused) without client_id, and system/ scopes only
                    .clientAuthentication(
                        client ->
                            client
                                .authenticationConverters(
                                    converters ->
                                        converters.replaceAll(
                                            converter ->
                                                converter instanceof JwtClientAssertionAuthenticationConverter
                                                    ? new ClientAssertionConverter()
                                                    : converter))
                                .authenticationProviders(
                                    providers ->
                                        providers.replaceAll(
                                            provider ->
                                                provider instanceof JwtClientAssertionAuthenticationProvider jwt
                                                    ? new ClientAssertionAuthentication(jwt, clientAssertions)
                                                    : provider))
                                .errorResponseHandler(new ClientAuthenticationErrors()))
                    .tokenEndpoint(
                        endpoint ->
                            endpoint
                                .accessTokenResponseHandler(tokenResponse)
                                .authenticationProviders(
                                    providers ->
                                        providers.forEach(
                                            provider -> {
                                              if (provider instanceof OAuth2ClientCredentialsAuthenticationProvider system) {
                                                system.setAuthenticationValidator(new BackendScopeValidator());
                                              }
                                            })))
                    .oidc(Customizer.withDefaults()))
        .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
        .exceptionHandling(
            errors ->
                errors
                    .defaultAuthenticationEntryPointFor(
                        signIn.signInPage(), new MediaTypeRequestMatcher(MediaType.TEXT_HTML))
                    // an API client (token, introspection, revocation) without credentials: OAuth's
                    // 401 invalid_client, never a redirect to a sign-in page
                    .defaultAuthenticationEntryPointFor(
                        (request, response, failure) -> {
                          response.setStatus(401);
                          response.setContentType("application/json");
                          response.getWriter().write(
                              "{\"error\":\"invalid_client\",\"error_description\":\"client authentication is required\"}");
                        },
                        org.springframework.security.web.util.matcher.AnyRequestMatcher.INSTANCE)
                    // a sign-in with its second factor still due is not authenticated: to the code page
                    .accessDeniedHandler((request, response, denied) -> {
                      if (SecurityContextHolder.getContext().getAuthentication() instanceof SecondFactorPending) {
                        response.sendRedirect(request.getContextPath() + SignInFlow.SECOND_FACTOR_PAGE);
                      } else {
                        response.sendError(403);
                      }
                    }));
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
                    .authenticated());
    return bearerTokensOnly(http, unauthorized);
  }

  /** DICOMweb ({@code /dicomweb}): bearer tokens from this server only, as for FHIR; nothing public. */
  @Bean
  @Order(2)
  public SecurityFilterChain dicomwebChain(HttpSecurity http, DicomwebUnauthorizedEntryPoint unauthorized)
      throws Exception {
    http.securityMatcher(antMatcher("/dicomweb/**"))
        .authorizeHttpRequests(requests -> requests.anyRequest().authenticated());
    return bearerTokensOnly(http, unauthorized);
  }

  /**
   * The share pages' policy: nothing may load (no scripts, styles, images, frames); the only form
   * posts back to the page itself.
   */
  public static final String SHARE_CONTENT_SECURITY_POLICY =
      "default-src 'none'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

  /**
   * Share links ({@code /share/**}): public — the link's secret in the URL is the credential, checked
   * by the share pages themselves — stateless, no cookies, no CSRF token (no ambient credential to
   * forge), strict headers: the policy above, no referrer, no caching, no sniffing, no framing.
   */
  @Bean
  @Order(2)
  public SecurityFilterChain shareLinkChain(HttpSecurity http) throws Exception {
    http.securityMatcher(antMatcher("/share/**"))
        .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
        .headers(
            headers ->
                headers
                    .contentSecurityPolicy(csp -> csp.policyDirectives(SHARE_CONTENT_SECURITY_POLICY))
                    .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER))
                    .frameOptions(frames -> frames.deny()))
        .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .requestCache(cache -> cache.disable())
        .securityContext(context -> context.disable())
        .anonymous(anonymous -> anonymous.disable())
        .csrf(csrf -> csrf.disable());
    return http.build();
  }

  /** The share-link owners' API ({@code /api/share-links}): bearer tokens from this server only. */
  @Bean
  @Order(2)
  public SecurityFilterChain shareLinkApiChain(HttpSecurity http) throws Exception {
    http.securityMatcher(antMatcher("/api/share-links/**"))
        .authorizeHttpRequests(requests -> requests.anyRequest().authenticated());
    return bearerTokensOnly(http, (request, response, failure) -> {
      response.setStatus(401);
      response.setHeader("WWW-Authenticate", "Bearer");
      response.setContentType("application/json");
      response.getWriter().write(
          "{\"error\":\"invalid_token\",\"error_description\":\"a valid bearer access token of this server is required\"}");
    });
  }

  /** A stateless resource server: our bearer tokens, {@code unauthorized} without a valid one. */
  private static SecurityFilterChain bearerTokensOnly(HttpSecurity http, AuthenticationEntryPoint unauthorized)
      throws Exception {
    http.oauth2ResourceServer(
            resourceServer ->
                resourceServer.jwt(Customizer.withDefaults()).authenticationEntryPoint(unauthorized))
        .exceptionHandling(errors -> errors.authenticationEntryPoint(unauthorized))
        .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .csrf(csrf -> csrf.disable());
    return http.build();
  }

  /**
   * The SMART apps under {@code /apps/}: static files anyone may GET (they hold no data; the data
   * comes from {@code /fhir} with the token the app obtains), nothing else. No session, and the
   * redirect URI's {@code ?code=} never leaves in a Referer.
   */
  @Bean
  @Order(3)
  public SecurityFilterChain smartAppsChain(HttpSecurity http) throws Exception {
    http.securityMatcher(antMatcher("/apps/**"))
        .authorizeHttpRequests(
            requests ->
                requests
                    // ("/apps/patient/**" covers the folder "/apps/patient" itself too)
                    .requestMatchers(
                        antMatcher(HttpMethod.GET, "/apps/patient/**"), antMatcher(HttpMethod.HEAD, "/apps/patient/**"))
                    .permitAll()
                    .anyRequest()
                    .denyAll())
        .headers(
            headers ->
                headers
                    .contentSecurityPolicy(csp -> csp.policyDirectives(APPS_CONTENT_SECURITY_POLICY))
                    .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER))
                    .frameOptions(frames -> frames.deny()))
        .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .requestCache(cache -> cache.disable());
    return http.build();
  }

  @Bean
  @Order(4)
  public SecurityFilterChain signInChain(HttpSecurity http, SignInFlow signIn) throws Exception {
    http.authorizeHttpRequests(
            requests ->
                requests
                    .requestMatchers("/login", SignInFlow.SECOND_FACTOR_PAGE, "/error")
                    .permitAll()
                    .anyRequest()
                    .authenticated())
        // (no custom entry point here: Spring then keeps generating the sign-in form at /login)
        .formLogin(form -> form.successHandler(signIn.passwordAccepted()).failureHandler(signIn.passwordRefused()));
    return http.build();
  }
}
