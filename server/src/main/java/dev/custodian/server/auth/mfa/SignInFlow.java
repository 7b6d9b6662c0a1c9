package dev.custodian.server.auth.mfa;

import dev.custodian.server.audit.SignInEvents;

import dev.custodian.server.auth.users.UserAccount;
import dev.custodian.server.auth.users.UserAccountRepository;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.authentication.logout.LogoutHandler;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;

/**
 * The steps of signing in: the password, then — for accounts with a second factor — the TOTP code
 * on {@code /login/mfa}; an account that must have a second factor (staff; patients when
 * configured) but has none can only finish by enrolling one on {@code /login/enrol}. Failures are
 * counted and lock the account after too many in a row.
 */
public class SignInFlow {

  public static final String SECOND_FACTOR_PAGE = "/login/mfa";
  /** Where a sign-in that must enrol a second factor goes, and where a signed-in person enrols one. */
  public static final String ENROLMENT_PAGE = "/login/enrol";

  private final UserAccountRepository accounts;
  private final LoginProperties rules;
  private final Clock clock;
  private final SecurityContextRepository contexts = new HttpSessionSecurityContextRepository();
  private final SavedRequestAwareAuthenticationSuccessHandler continueToApp =
      new SavedRequestAwareAuthenticationSuccessHandler();

  private final SignInEvents audit;
  private final SignInRecorder signIns;

  public SignInFlow(UserAccountRepository accounts, LoginProperties rules, Clock clock, SignInEvents audit,
      SignInRecorder signIns) {
    this.accounts = accounts;
    this.rules = rules;
    this.clock = clock;
    this.audit = audit;
    this.signIns = signIns;
  }

  /** After a right password: on to the code page, or on to the app for an account without one. */
  public AuthenticationSuccessHandler passwordAccepted() {
    return (request, response, authentication) -> {
      UserAccount account = accounts.find(authentication.getName()).orElseThrow();
      if (account.hasSecondFactor() || rules.secondFactorRequired(account)) {
        SecondFactorPending pending = new SecondFactorPending(authentication, !account.hasSecondFactor());
        keep(pending, request, response);
        response.sendRedirect(request.getContextPath() + nextStep(pending));
        return;
      }
      complete(account, request, response);
      continueToApp.onAuthenticationSuccess(request, response, authentication);
    };
  }

  /** A wrong password (or a locked account): counted, and back to the form. */
  public AuthenticationFailureHandler passwordRefused() {
    return (request, response, exception) -> {
      String username = request.getParameter("username");
      boolean locked = exception instanceof org.springframework.security.authentication.LockedException;
      if (username != null && !locked) {
        failed(username);
      }
      audit.failed(request, username, username == null ? null : accounts.find(username).map(UserAccount::fhirUser).orElse(null),
          locked ? "account locked" : "wrong username or password");
      response.sendRedirect(request.getContextPath() + "/login?error");
    };
  }

  /** Checks the code of a pending sign-in; true when it is complete. */
  public boolean codeEntered(SecondFactorPending pending, String code, HttpServletRequest request,
      HttpServletResponse response) throws IOException {
    UserAccount account = accounts.find(pending.getName()).orElse(null);
    Instant now = clock.instant();
    if (account == null || account.isLockedAt(now) || !account.enabled()) {
      audit.failed(request, pending.getName(), account == null ? null : account.fhirUser(), "account locked or disabled");
      forget(request, response);
      return false;
    }
    if (!Totp.verify(account.totpSecret(), code, now)) {
      failed(account.username());
      audit.failed(request, account.username(), account.fhirUser(), "wrong second-factor code");
      if (accounts.find(account.username()).map(a -> a.isLockedAt(clock.instant())).orElse(true)) {
        forget(request, response);
      }
      return false;
    }
    complete(account, request, response);
    request.changeSessionId(); // a new session id once fully signed in
    keep(pending.passwordStep(), request, response);
    return true;
  }

  /**
   * Checks the first code of a new second factor ({@code secret}, not stored yet); true when it is
   * right and stored. A wrong code counts towards the lockout like any other.
   */
  public boolean enrolmentCodeEntered(String username, String secret, String code, HttpServletRequest request) {
    UserAccount account = accounts.find(username).orElse(null);
    if (account == null || account.isLockedAt(clock.instant()) || !account.enabled()) {
      return false;
    }
    if (!Totp.verify(secret, code, clock.instant())) {
      failed(username);
      audit.failed(request, username, account.fhirUser(), "wrong code while enrolling a second factor");
      return false;
    }
    return accounts.enrolSecondFactor(username, secret);
  }

  /** A sign-in that had to enrol a second factor, and now has: it is complete. */
  public void enrolled(SecondFactorPending pending, HttpServletRequest request, HttpServletResponse response) {
    complete(accounts.find(pending.getName()).orElseThrow(), request, response);
    request.changeSessionId();
    keep(pending.passwordStep(), request, response);
  }

  /** The page a pending sign-in continues on: the code, or the enrolment of a second factor. */
  public static String nextStep(SecondFactorPending pending) {
    return pending.enrolmentDue() ? ENROLMENT_PAGE : SECOND_FACTOR_PAGE;
  }

  private void complete(UserAccount account, HttpServletRequest request, HttpServletResponse response) {
    accounts.recordSuccess(account.username());
    audit.succeeded(request, account.username(), account.fhirUser());
    signIns.signedIn(account.username(), request, response);
  }

  /** Where complete sign-ins are recorded (device and address, for login alerts). */
  public interface SignInRecorder {
    void signedIn(String username, HttpServletRequest request, HttpServletResponse response);
  }


  /** Sends the browser on to where it was going before it had to sign in. */
  public void continueToApp(HttpServletRequest request, HttpServletResponse response) throws IOException {
    try {
      continueToApp.onAuthenticationSuccess(
          request, response, SecurityContextHolder.getContext().getAuthentication());
    } catch (jakarta.servlet.ServletException e) {
      throw new IOException(e);
    }
  }

  /**
   * Audits a sign-out ({@code POST /logout}) of a signed-in person, before the session ends; a
   * sign-out with no one signed in (or only half signed in) records nothing.
   */
  public LogoutHandler signedOut() {
    return (request, response, authentication) -> {
      if (authentication == null || !authentication.isAuthenticated() || authentication instanceof SecondFactorPending) {
        return;
      }
      String username = authentication.getName();
      audit.signedOut(request, username, accounts.find(username).map(UserAccount::fhirUser).orElse(null));
    };
  }

  /** Where an unauthenticated browser goes: the code page mid-sign-in, else the sign-in form. */
  public AuthenticationEntryPoint signInPage() {
    return (HttpServletRequest request, HttpServletResponse response, AuthenticationException e) -> {
      Authentication current = SecurityContextHolder.getContext().getAuthentication();
      String page = current instanceof SecondFactorPending pending ? nextStep(pending) : "/login";
      response.sendRedirect(request.getContextPath() + page);
    };
  }

  private void failed(String username) {
    accounts.recordFailure(username, rules.maxFailures(), clock.instant().plus(rules.lockDuration()));
  }

  private void keep(Authentication authentication, HttpServletRequest request, HttpServletResponse response) {
    SecurityContext context = SecurityContextHolder.createEmptyContext();
    context.setAuthentication(authentication);
    SecurityContextHolder.setContext(context);
    contexts.saveContext(context, request, response);
  }

  private void forget(HttpServletRequest request, HttpServletResponse response) {
    SecurityContextHolder.clearContext();
    contexts.saveContext(SecurityContextHolder.createEmptyContext(), request, response);
  }
}
