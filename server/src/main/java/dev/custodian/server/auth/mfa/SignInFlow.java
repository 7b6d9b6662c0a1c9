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
 * on {@code /login/mfa}; counting failures and locking the account after too many in a row.
 */
public class SignInFlow {

  public static final String SECOND_FACTOR_PAGE = "/login/mfa";

  private final UserAccountRepository accounts;
  private final LoginProperties rules;
  private final Clock clock;
  private final SecurityContextRepository contexts = new HttpSessionSecurityContextRepository();
  private final SavedRequestAwareAuthenticationSuccessHandler continueToApp =
      new SavedRequestAwareAuthenticationSuccessHandler();

  private final SignInEvents audit;

  public SignInFlow(UserAccountRepository accounts, LoginProperties rules, Clock clock, SignInEvents audit) {
    this.accounts = accounts;
    this.rules = rules;
    this.clock = clock;
    this.audit = audit;
  }

  /** After a right password: on to the code page, or on to the app for an account without one. */
  public AuthenticationSuccessHandler passwordAccepted() {
    return (request, response, authentication) -> {
      UserAccount account = accounts.find(authentication.getName()).orElseThrow();
      if (account.hasSecondFactor()) {
        keep(new SecondFactorPending(authentication), request, response);
        response.sendRedirect(request.getContextPath() + SECOND_FACTOR_PAGE);
        return;
      }
      accounts.recordSuccess(account.username());
      audit.succeeded(request, account.username(), account.fhirUser());
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
    accounts.recordSuccess(account.username());
    audit.succeeded(request, account.username(), account.fhirUser());
    request.changeSessionId(); // a new session id once fully signed in
    keep(pending.passwordStep(), request, response);
    return true;
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
      String page = current instanceof SecondFactorPending ? SECOND_FACTOR_PAGE : "/login";
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
