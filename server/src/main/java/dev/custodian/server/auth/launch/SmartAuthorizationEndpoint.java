package dev.custodian.server.auth.launch;

import dev.custodian.server.auth.users.UserAccount;
import dev.custodian.server.auth.users.UserAccountRepository;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;
import java.util.function.Consumer;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.config.Customizer;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationConsentAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationConsentAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configurers.OAuth2AuthorizationEndpointConfigurer;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.security.web.csrf.XorCsrfTokenRequestAttributeHandler;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The SMART launch steps of the authorization endpoint, on top of the request checks
 * ({@code SmartAuthorizeRequestValidator}):
 *
 * <ul>
 *   <li><b>EHR launch</b>: a {@code launch} parameter needs the {@code launch} scope and must name a
 *       launch context created for this app, unused and unexpired; it is redeemed (once) when the
 *       signed-in user's code is issued, and its patient and encounter become the grant's context.
 *       A patient signing in can only be launched into their own record.
 *   <li><b>Patient picker</b>: staff asking for {@code launch/patient} in a standalone launch are
 *       sent, after signing in, to the picker ({@link PatientPickerPage}) — Spring Authorization
 *       Server's consent step. Its form comes back to the authorize endpoint; the chosen patient must
 *       be one the policy lets them treat, and the form must carry the session's CSRF token.
 *   <li><b>online_access</b>: the grant is bound to the signed-in browser session
 *       ({@link SignInSessions}).
 * </ul>
 */
public final class SmartAuthorizationEndpoint implements Customizer<OAuth2AuthorizationEndpointConfigurer> {

  private static final OAuth2TokenType STATE = new OAuth2TokenType(OAuth2ParameterNames.STATE);
  private static final OAuth2TokenType CODE = new OAuth2TokenType(OAuth2ParameterNames.CODE);

  private final Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> requestChecks;
  private final LaunchContexts launches;
  private final TreatedPatients treated;
  private final RepresentedPatient represented;
  private final UserAccountRepository accounts;
  private final OAuth2AuthorizationService authorizations;
  private final SignInSessions sessions;

  public SmartAuthorizationEndpoint(
      Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> requestChecks,
      LaunchContexts launches,
      TreatedPatients treated,
      RepresentedPatient represented,
      UserAccountRepository accounts,
      OAuth2AuthorizationService authorizations,
      SignInSessions sessions) {
    this.requestChecks = requestChecks;
    this.launches = launches;
    this.treated = treated;
    this.represented = represented;
    this.accounts = accounts;
    this.authorizations = authorizations;
    this.sessions = sessions;
  }

  @Override
  public void customize(OAuth2AuthorizationEndpointConfigurer endpoint) {
    endpoint
        .consentPage(PatientPickerPage.PATH)
        .authenticationProviders(providers -> providers.replaceAll(provider -> {
          if (provider instanceof OAuth2AuthorizationCodeRequestAuthenticationProvider codes) {
            codes.setAuthenticationValidator(this::checkRequest);
            codes.setAuthorizationConsentRequired(this::needsPatientPicker);
            return new Completing(codes);
          }
          if (provider instanceof OAuth2AuthorizationConsentAuthenticationProvider consent) {
            return new PatientChosen(consent);
          }
          return provider;
        }));
  }

  /** The request checks, then the EHR launch rules (nothing is redeemed yet). */
  private void checkRequest(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
    requestChecks.accept(context);
    OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
    Object launch = request.getAdditionalParameters().get(LaunchAttributes.LAUNCH_PARAMETER);
    boolean launchScope = request.getScopes().contains("launch");
    if (launch == null) {
      if (launchScope) {
        throw refused(request, OAuth2ErrorCodes.INVALID_REQUEST,
            "the launch scope is for an EHR launch: send the launch parameter the EHR gave the app");
      }
      return;
    }
    if (!(launch instanceof String value) || value.isBlank()) {
      throw refused(request, OAuth2ErrorCodes.INVALID_REQUEST, "launch must be one non-empty value");
    }
    if (!launchScope) {
      throw refused(request, OAuth2ErrorCodes.INVALID_REQUEST, "an EHR launch (launch parameter) needs the launch scope");
    }
    LaunchContexts.Problem problem = launches.check(value, request.getClientId());
    if (problem != null) {
      throw refused(request, OAuth2ErrorCodes.INVALID_REQUEST, problem.description());
    }
  }

  /** Staff asking for a patient context without an EHR launch choose the patient first. */
  private boolean needsPatientPicker(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
    OAuth2AuthorizationRequest request = context.getAuthorizationRequest();
    return needsPatientPicker(request, (Authentication) context.getAuthentication().getPrincipal());
  }

  private boolean needsPatientPicker(OAuth2AuthorizationRequest request, Authentication principal) {
    if (request == null || !request.getScopes().contains("launch/patient")
        || request.getAdditionalParameters().get(LaunchAttributes.LAUNCH_PARAMETER) != null) {
      return false;
    }
    UserAccount user = accounts.find(principal.getName()).orElse(null);
    // a patient is in their own record, a representative in the record of the patient they represent
    return user != null && user.patientId() == null && !RepresentedPatient.isRepresentative(user);
  }

  /**
   * After a code is issued: redeems the EHR launch and binds an online grant to the session. A
   * launch that cannot be redeemed takes the code back.
   */
  private void complete(Authentication result) {
    if (!(result instanceof OAuth2AuthorizationCodeRequestAuthenticationToken issued)
        || !issued.isAuthenticated() || issued.getAuthorizationCode() == null) {
      return;
    }
    OAuth2Authorization authorization =
        authorizations.findByToken(issued.getAuthorizationCode().getTokenValue(), CODE);
    if (authorization == null) {
      return;
    }
    OAuth2AuthorizationRequest request = authorization.getAttribute(OAuth2AuthorizationRequest.class.getName());
    Authentication principal = (Authentication) issued.getPrincipal();
    OAuth2Authorization.Builder grant = OAuth2Authorization.from(authorization);
    Object launch = request.getAdditionalParameters().get(LaunchAttributes.LAUNCH_PARAMETER);
    if (launch instanceof String value) {
      LaunchContexts.Context context;
      try {
        context = launches.redeem(value, request.getClientId(), principal.getName());
      } catch (LaunchContexts.LaunchRefused e) {
        authorizations.remove(authorization);
        throw refused(request, principal, OAuth2ErrorCodes.INVALID_REQUEST, e.getMessage());
      }
      UserAccount user = accounts.find(principal.getName()).orElse(null);
      if (user == null || (user.patientId() != null && !user.patientId().equals(context.patient()))) {
        authorizations.remove(authorization);
        throw refused(request, principal, OAuth2ErrorCodes.ACCESS_DENIED,
            "a patient can only be launched into their own record");
      }
      if (RepresentedPatient.isRepresentative(user)
          && !represented.of(user, request.getClientId()).map(context.patient()::equals).orElse(false)) {
        authorizations.remove(authorization);
        throw refused(request, principal, OAuth2ErrorCodes.ACCESS_DENIED,
            "a personal representative can only be launched into the record of the patient they represent");
      }
      grant.attribute(LaunchAttributes.PATIENT, context.patient());
      if (context.encounter() != null) {
        grant.attribute(LaunchAttributes.ENCOUNTER, context.encounter());
      }
    } else if (authorization.getAuthorizedScopes().contains("launch/patient")) {
      UserAccount user = accounts.find(principal.getName()).orElse(null);
      if (RepresentedPatient.isRepresentative(user)) {
        String patient = represented.of(user, request.getClientId()).orElse(null);
        if (patient == null) {
          authorizations.remove(authorization);
          throw refused(request, principal, OAuth2ErrorCodes.ACCESS_DENIED,
              "launch/patient: you do not represent a patient now");
        }
        grant.attribute(LaunchAttributes.PATIENT, patient);
      }
    }
    if (authorization.getAuthorizedScopes().contains("online_access")) {
      HttpSession session = currentRequest().getSession(false);
      if (session == null) {
        authorizations.remove(authorization);
        throw refused(request, principal, OAuth2ErrorCodes.ACCESS_DENIED,
            "online_access needs a signed-in browser session");
      }
      grant.attribute(LaunchAttributes.SIGN_IN_SESSION, sessions.bind(session, principal.getName()));
    }
    authorizations.save(grant.build());
  }

  /** The authorization code request provider, then {@link #complete}. */
  private final class Completing implements AuthenticationProvider {
    private final AuthenticationProvider delegate;

    Completing(AuthenticationProvider delegate) {
      this.delegate = delegate;
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
      Authentication result = delegate.authenticate(authentication);
      complete(result);
      return result;
    }

    @Override
    public boolean supports(Class<?> authentication) {
      return delegate.supports(authentication);
    }
  }

  /** The picker's answer: the CSRF token, a patient the user may treat; then the consent provider. */
  private final class PatientChosen implements AuthenticationProvider {
    private final AuthenticationProvider delegate;

    PatientChosen(AuthenticationProvider delegate) {
      this.delegate = delegate;
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
      if (authentication instanceof OAuth2AuthorizationConsentAuthenticationToken answer) {
        choose(answer);
      }
      Authentication result = delegate.authenticate(authentication);
      complete(result);
      return result;
    }

    @Override
    public boolean supports(Class<?> authentication) {
      return delegate.supports(authentication);
    }

    private void choose(OAuth2AuthorizationConsentAuthenticationToken answer) {
      Authentication principal = (Authentication) answer.getPrincipal();
      OAuth2Authorization pending = authorizations.findByToken(answer.getState(), STATE);
      if (pending == null || principal == null || principal instanceof AnonymousAuthenticationToken
          || !principal.isAuthenticated() || !principal.getName().equals(pending.getPrincipalName())) {
        return; // the consent provider refuses these itself
      }
      OAuth2AuthorizationRequest request = pending.getAttribute(OAuth2AuthorizationRequest.class.getName());
      if (!needsPatientPicker(request, principal)) {
        return;
      }
      if (!csrfTokenMatches(currentRequest())) {
        authorizations.remove(pending);
        throw refused(request, principal, OAuth2ErrorCodes.ACCESS_DENIED,
            "the patient picker form was not this session's (CSRF token missing or wrong)");
      }
      if (answer.getScopes().isEmpty()) {
        return; // cancelled: the consent provider answers access_denied
      }
      Object chosen = answer.getAdditionalParameters().get("patient");
      UserAccount user = accounts.find(principal.getName()).orElse(null);
      if (!(chosen instanceof String patient) || user == null
          || !treated.treats(user, request.getClientId(), patient)) {
        authorizations.remove(pending);
        throw refused(request, principal, OAuth2ErrorCodes.ACCESS_DENIED,
            "choose one of the patients the picker offers");
      }
      authorizations.save(OAuth2Authorization.from(pending).attribute(LaunchAttributes.PATIENT, patient).build());
    }
  }

  private static boolean csrfTokenMatches(HttpServletRequest request) {
    CsrfToken expected = new HttpSessionCsrfTokenRepository().loadToken(request);
    if (expected == null) {
      return false;
    }
    String actual = new XorCsrfTokenRequestAttributeHandler().resolveCsrfTokenValue(request, expected);
    return actual != null && MessageDigest.isEqual(
        actual.getBytes(StandardCharsets.UTF_8), expected.getToken().getBytes(StandardCharsets.UTF_8));
  }

  private static HttpServletRequest currentRequest() {
    return ((ServletRequestAttributes) RequestContextHolder.currentRequestAttributes()).getRequest();
  }

  private static OAuth2AuthorizationCodeRequestAuthenticationException refused(
      OAuth2AuthorizationCodeRequestAuthenticationToken request, String code, String description) {
    return new OAuth2AuthorizationCodeRequestAuthenticationException(new OAuth2Error(code, description, null), request);
  }

  /** An error sent back to the app's redirect URI, with its state. */
  private static OAuth2AuthorizationCodeRequestAuthenticationException refused(
      OAuth2AuthorizationRequest request, Authentication principal, String code, String description) {
    OAuth2AuthorizationCodeRequestAuthenticationToken original = new OAuth2AuthorizationCodeRequestAuthenticationToken(
        request.getAuthorizationUri(), request.getClientId(), principal, request.getRedirectUri(),
        request.getState(), Set.copyOf(request.getScopes()), request.getAdditionalParameters());
    return refused(original, code, description);
  }
}
