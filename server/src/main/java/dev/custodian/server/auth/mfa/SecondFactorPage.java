package dev.custodian.server.auth.mfa;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The second step of signing in: a form with one field, {@code code}, the TOTP code. */
@Controller
public class SecondFactorPage {

  private final SignInFlow flow;

  public SecondFactorPage(SignInFlow flow) {
    this.flow = flow;
  }

  @GetMapping(SignInFlow.SECOND_FACTOR_PAGE)
  public void show(HttpServletRequest request, HttpServletResponse response) throws IOException {
    if (pending() == null) {
      response.sendRedirect(request.getContextPath() + "/login");
      return;
    }
    if (pending().enrolmentDue()) {
      response.sendRedirect(request.getContextPath() + SignInFlow.ENROLMENT_PAGE);
      return;
    }
    render(request, response, request.getParameter("error") != null);
  }

  @PostMapping(SignInFlow.SECOND_FACTOR_PAGE)
  public void submit(@RequestParam(name = "code", required = false) String code,
      HttpServletRequest request, HttpServletResponse response) throws IOException {
    SecondFactorPending pending = pending();
    if (pending == null || pending.enrolmentDue()) {
      response.sendRedirect(request.getContextPath() + "/login");
      return;
    }
    if (flow.codeEntered(pending, code == null ? null : code.trim(), request, response)) {
      flow.continueToApp(request, response);
    } else if (pending() == null) {
      response.sendRedirect(request.getContextPath() + "/login?error");
    } else {
      response.sendRedirect(request.getContextPath() + SignInFlow.SECOND_FACTOR_PAGE + "?error");
    }
  }

  private static SecondFactorPending pending() {
    Authentication current = SecurityContextHolder.getContext().getAuthentication();
    return current instanceof SecondFactorPending p ? p : null;
  }

  private static void render(HttpServletRequest request, HttpServletResponse response, boolean error)
      throws IOException {
    CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
    response.setContentType(MediaType.TEXT_HTML_VALUE + ";charset=UTF-8");
    response.setHeader("Cache-Control", "no-store");
    // No form-action: browsers (Chromium) apply it to every redirect after the submit too, and a
    // right code redirects on to the app's redirect URI, on the app's own origin. The form is
    // fixed (nothing on this page comes from the request but the context path and CSRF token).
    response.setHeader("Content-Security-Policy",
        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'");
    String html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Custodian sign-in: code</title>"
        + "<style>body{font-family:sans-serif;max-width:24rem;margin:4rem auto}input{font-size:1.4rem;width:8rem}</style></head><body>"
        + "<h1>Enter your code</h1><p>Open your authenticator app and enter the 6-digit code for Custodian.</p>"
        + (error ? "<p role=\"alert\">That code was not right. Try the current one.</p>" : "")
        + "<form method=\"post\" action=\"" + request.getContextPath() + SignInFlow.SECOND_FACTOR_PAGE + "\">"
        + "<label for=\"code\">Code</label> <input id=\"code\" name=\"code\" inputmode=\"numeric\" autocomplete=\"one-time-code\" pattern=\"[0-9]{6}\" required autofocus>"
        + (csrf == null ? "" : "<input type=\"hidden\" name=\"" + csrf.getParameterName() + "\" value=\"" + csrf.getToken() + "\">")
        + " <button type=\"submit\">Continue</button></form></body></html>";
    response.getWriter().write(html);
  }
}
