package dev.custodian.server.auth.mfa;

import dev.custodian.server.auth.AuthProperties;
import dev.custodian.server.auth.users.UserAccount;
import dev.custodian.server.auth.users.UserAccountRepository;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.net.URI;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.HtmlUtils;

/**
 * Enrolling a TOTP second factor ({@value SignInFlow#ENROLMENT_PAGE}): for a sign-in that must have
 * one and has none (staff; patients when required), the only way to finish signing in; for a
 * signed-in person without one, an option. The page shows a new secret and its {@code otpauth://}
 * URI — only while enrolling, never once enrolled — and the secret takes effect only after a right
 * code from the authenticator app (form field {@code code}, CSRF-protected). The pending secret lives
 * in the HTTP session only. {@code Accept: application/json} gives {@code enrolled}, and while
 * enrolling {@code secret} and {@code otpauth_uri}.
 */
@Controller
public class TotpEnrolmentPage {

  static final String PENDING_SECRET = TotpEnrolmentPage.class.getName() + ".secret";

  private final SignInFlow flow;
  private final UserAccountRepository accounts;
  private final String issuer;

  public TotpEnrolmentPage(SignInFlow flow, UserAccountRepository accounts, AuthProperties properties) {
    this.flow = flow;
    this.accounts = accounts;
    this.issuer = "Custodian (" + URI.create(properties.issuer()).getHost() + ")";
  }

  /** Who is enrolling: a sign-in waiting for enrolment, or a signed-in person; null for anyone else. */
  private record Enrolling(UserAccount account, SecondFactorPending pending) {}

  private Enrolling enrolling() {
    Authentication current = SecurityContextHolder.getContext().getAuthentication();
    if (current instanceof SecondFactorPending pending) {
      return pending.enrolmentDue()
          ? accounts.find(pending.getName()).map(account -> new Enrolling(account, pending)).orElse(null) : null;
    }
    if (current == null || !current.isAuthenticated() || "anonymousUser".equals(current.getPrincipal())) {
      return null;
    }
    return accounts.find(current.getName()).map(account -> new Enrolling(account, null)).orElse(null);
  }

  @GetMapping(SignInFlow.ENROLMENT_PAGE)
  public void show(HttpServletRequest request, HttpServletResponse response) throws IOException {
    Enrolling who = enrolling();
    if (who == null) {
      response.sendRedirect(request.getContextPath() + "/login");
      return;
    }
    String secret = who.account().hasSecondFactor() ? null : pendingSecret(request.getSession());
    render(request, response, who.account(), secret, request.getParameter("error") != null);
  }

  @PostMapping(SignInFlow.ENROLMENT_PAGE)
  public void confirm(@RequestParam(name = "code", required = false) String code,
      HttpServletRequest request, HttpServletResponse response) throws IOException {
    Enrolling who = enrolling();
    HttpSession session = request.getSession(false);
    String secret = session == null ? null : (String) session.getAttribute(PENDING_SECRET);
    if (who == null || who.account().hasSecondFactor() || secret == null) {
      response.sendRedirect(request.getContextPath() + (who == null ? "/login" : SignInFlow.ENROLMENT_PAGE));
      return;
    }
    String username = who.account().username();
    if (!flow.enrolmentCodeEntered(username, secret, code == null ? null : code.trim(), request)) {
      boolean locked = accounts.find(username).map(a -> a.isLockedAt(java.time.Instant.now())).orElse(true);
      response.sendRedirect(request.getContextPath() + (locked && who.pending() != null ? "/login?error" : SignInFlow.ENROLMENT_PAGE + "?error"));
      return;
    }
    session.removeAttribute(PENDING_SECRET);
    if (who.pending() != null) {
      flow.enrolled(who.pending(), request, response);
      flow.continueToApp(request, response);
    } else {
      response.sendRedirect(request.getContextPath() + SignInFlow.ENROLMENT_PAGE);
    }
  }

  /** The secret being enrolled in this session: made once, then the same until confirmed. */
  private static String pendingSecret(HttpSession session) {
    synchronized (session) {
      String secret = (String) session.getAttribute(PENDING_SECRET);
      if (secret == null) {
        secret = Totp.newSecret();
        session.setAttribute(PENDING_SECRET, secret);
      }
      return secret;
    }
  }

  private void render(HttpServletRequest request, HttpServletResponse response, UserAccount account, String secret,
      boolean error) throws IOException {
    response.setHeader("Cache-Control", "no-store");
    String uri = secret == null ? null : Totp.otpauthUri(issuer, account.username(), secret);
    if (MediaType.APPLICATION_JSON_VALUE.equals(request.getHeader("Accept"))) {
      response.setContentType(MediaType.APPLICATION_JSON_VALUE);
      response.getWriter().write(secret == null
          ? "{\"enrolled\":true}"
          : "{\"enrolled\":false,\"secret\":\"" + secret + "\",\"otpauth_uri\":\"" + uri + "\"}");
      return;
    }
    CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
    response.setContentType(MediaType.TEXT_HTML_VALUE + ";charset=UTF-8");
    // (no form-action, as on the code page: a right code redirects on to the app's own origin)
    response.setHeader("Content-Security-Policy",
        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'");
    StringBuilder html = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<title>Custodian: second factor</title><style>body{font-family:sans-serif;max-width:36rem;margin:4rem auto}"
        + "code{word-break:break-all}</style></head><body><h1>Second factor</h1>");
    if (secret == null) {
      html.append("<p role=\"status\">Your account has a second factor (an authenticator app). ")
          .append("To replace it, ask an administrator.</p></body></html>");
      response.getWriter().write(html.toString());
      return;
    }
    html.append("<p>Add Custodian to your authenticator app: scan or open this link, or type the secret in by hand. ")
        .append("It is shown only while you set it up.</p>")
        .append("<p><a id=\"otpauth-uri\" href=\"").append(HtmlUtils.htmlEscape(uri)).append("\">")
        .append(HtmlUtils.htmlEscape(uri)).append("</a></p>")
        .append("<p>Secret: <code id=\"secret\">").append(secret).append("</code></p>")
        .append(error ? "<p role=\"alert\">That code was not right. Try the current one.</p>" : "")
        .append("<form method=\"post\" action=\"").append(HtmlUtils.htmlEscape(request.getContextPath() + SignInFlow.ENROLMENT_PAGE))
        .append("\"><label for=\"code\">Code from the app</label> ")
        .append("<input id=\"code\" name=\"code\" inputmode=\"numeric\" autocomplete=\"one-time-code\" pattern=\"[0-9]{6}\" required autofocus>");
    if (csrf != null) {
      html.append("<input type=\"hidden\" name=\"").append(csrf.getParameterName()).append("\" value=\"")
          .append(csrf.getToken()).append("\">");
    }
    html.append(" <button type=\"submit\">Turn on</button></form></body></html>");
    response.getWriter().write(html.toString());
  }
}
