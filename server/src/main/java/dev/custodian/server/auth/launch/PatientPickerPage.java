package dev.custodian.server.auth.launch;

import dev.custodian.audit.AccessRecord;
import dev.custodian.audit.AccessedResource;
import dev.custodian.audit.RestInteraction;
import dev.custodian.server.audit.AuditTrail;
import dev.custodian.server.auth.users.UserAccount;
import dev.custodian.server.auth.users.UserAccountRepository;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.HtmlUtils;

/**
 * The patient picker of a standalone launch by staff: the patients the signed-in clinician may
 * treat, as a plain HTML form (no scripts) that answers the authorization endpoint with the chosen
 * patient, the pending request's state and the session's CSRF token.
 */
@Controller
public class PatientPickerPage {

  private static final Logger log = LoggerFactory.getLogger(PatientPickerPage.class);
  public static final String PATH = "/launch/patient";

  private final OAuth2AuthorizationService authorizations;
  private final RegisteredClientRepository clients;
  private final UserAccountRepository accounts;
  private final TreatedPatients treated;
  private final AuditTrail trail;

  public PatientPickerPage(OAuth2AuthorizationService authorizations, RegisteredClientRepository clients,
      UserAccountRepository accounts, TreatedPatients treated, AuditTrail trail) {
    this.trail = trail;
    this.authorizations = authorizations;
    this.clients = clients;
    this.accounts = accounts;
    this.treated = treated;
  }

  @GetMapping(PATH)
  public void show(@RequestParam(name = OAuth2ParameterNames.STATE, required = false) String state,
      HttpServletRequest request, HttpServletResponse response) throws IOException {
    Authentication user = SecurityContextHolder.getContext().getAuthentication();
    OAuth2Authorization pending = state == null || state.isBlank()
        ? null : authorizations.findByToken(state, new OAuth2TokenType(OAuth2ParameterNames.STATE));
    UserAccount account = user == null ? null : accounts.find(user.getName()).orElse(null);
    if (pending == null || account == null || !pending.getPrincipalName().equals(account.username())) {
      response.sendError(HttpServletResponse.SC_BAD_REQUEST, "No launch is waiting for a patient choice");
      return;
    }
    OAuth2AuthorizationRequest authorize = pending.getAttribute(OAuth2AuthorizationRequest.class.getName());
    RegisteredClient client = clients.findById(pending.getRegisteredClientId());
    String appName = client == null ? authorize.getClientId() : client.getClientName();
    List<TreatedPatients.Choice> choices = treated.of(account, authorize.getClientId());
    try {
      record(request, account, authorize.getClientId(), choices);
    } catch (RuntimeException notRecorded) {
      log.error("Patient picker: the list shown to {} could not be recorded; nothing is shown", account.username(),
          notRecorded);
      response.setStatus(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
      response.setContentType(MediaType.TEXT_HTML_VALUE + ";charset=UTF-8");
      response.setHeader("Cache-Control", "no-store");
      response.setHeader("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
      response.getWriter().write("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
          + "<title>Custodian: not available right now</title></head><body><h1>Not available right now</h1>"
          + "<p>This access could not be recorded, so no patients are shown. Try again later.</p></body></html>");
      return;
    }
    render(request, response, state, authorize, appName, account, choices);
  }

  /**
   * The list is a search of the patients the clinician treats: recorded before it is shown, one event
   * per patient listed (BALP's patient query pattern), as the clinician acting for treatment in the app.
   */
  private void record(HttpServletRequest request, UserAccount account, String clientId,
      List<TreatedPatients.Choice> choices) {
    String requestId = request.getHeader("X-Request-ID");
    if (requestId == null || !requestId.matches("[A-Za-z0-9._-]{1,200}")) {
      requestId = UUID.randomUUID().toString();
    }
    trail.record(AccessRecord.builder()
        .recorded(Instant.now())
        .interaction(RestInteraction.SEARCH_TYPE)
        .caller(TreatedPatients.pickerCaller(account, clientId))
        .requestId(requestId)
        // without the query string: the state of a pending authorization is not for the audit trail
        .requestUrl(request.getRequestURL().toString())
        .clientAddress(request.getRemoteAddr())
        .resources(choices.stream()
            .map(choice -> AccessedResource.of("Patient/" + choice.id(), choice.decision(), "Patient/" + choice.id()))
            .toList())
        .build());
  }

  private static void render(HttpServletRequest request, HttpServletResponse response, String state,
      OAuth2AuthorizationRequest authorize, String appName, UserAccount account, List<TreatedPatients.Choice> choices)
      throws IOException {
    CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
    StringBuilder hidden = new StringBuilder()
        .append(input(OAuth2ParameterNames.CLIENT_ID, authorize.getClientId()))
        .append(input(OAuth2ParameterNames.STATE, state));
    if (csrf != null) {
      hidden.append(input(csrf.getParameterName(), csrf.getToken()));
    }
    StringBuilder scopes = new StringBuilder();
    authorize.getScopes().stream().sorted().forEach(scope -> scopes.append(input(OAuth2ParameterNames.SCOPE, scope)));
    String action = request.getContextPath() + "/oauth2/authorize";

    StringBuilder html = new StringBuilder()
        .append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Custodian: choose a patient</title>")
        .append("<style>body{font-family:sans-serif;max-width:36rem;margin:3rem auto}li{list-style:none;margin:.4rem 0}"
            + "label{cursor:pointer}.muted{color:#555}</style></head><body>")
        .append("<h1>Choose a patient</h1><p><strong>").append(esc(appName))
        .append("</strong> asks to open one patient's record as ").append(esc(account.displayName()))
        .append(". These are the patients you treat:</p>");
    if (choices.isEmpty()) {
      html.append("<p role=\"status\">You have no patients you may treat (no active care team, recent encounter, or "
          + "study or report that names you).</p>");
    } else {
      html.append("<form method=\"post\" action=\"").append(esc(action)).append("\"><ul>");
      boolean first = true;
      for (TreatedPatients.Choice choice : choices) {
        String id = "patient-" + esc(choice.id());
        html.append("<li><input type=\"radio\" name=\"patient\" required id=\"").append(id)
            .append("\" value=\"").append(esc(choice.id())).append('"').append(first ? " checked" : "")
            .append("> <label for=\"").append(id).append("\">").append(esc(choice.name()))
            .append(" <span class=\"muted\">(").append(esc(choice.id()))
            .append(choice.birthDate() == null ? "" : ", born " + esc(choice.birthDate()))
            .append(")</span></label></li>");
        first = false;
      }
      html.append("</ul>").append(hidden).append(scopes)
          .append("<button type=\"submit\">Open this patient's record</button></form>");
    }
    html.append("<form method=\"post\" action=\"").append(esc(action)).append("\">").append(hidden)
        .append("<button type=\"submit\">Cancel</button></form></body></html>");

    response.setContentType(MediaType.TEXT_HTML_VALUE + ";charset=UTF-8");
    response.setHeader("Cache-Control", "no-store");
    // no form-action: the authorize endpoint answers the form with a redirect to the app
    response.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
    response.getWriter().write(html.toString());
  }

  private static String input(String name, String value) {
    return "<input type=\"hidden\" name=\"" + esc(name) + "\" value=\"" + esc(value) + "\">";
  }

  private static String esc(String text) {
    return text == null ? "" : HtmlUtils.htmlEscape(text);
  }
}
