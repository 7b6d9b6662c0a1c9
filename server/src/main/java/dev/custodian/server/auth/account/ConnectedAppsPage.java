package dev.custodian.server.auth.account;

import dev.custodian.server.auth.mfa.SecondFactorPending;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.util.HtmlUtils;

/**
 * The signed-in person's connected apps: every app they authorized (one row per client, with the
 * scopes granted, when first granted and when a token was last issued to it), and a CSRF-protected
 * button that revokes one. Revoking removes all of that person's grants to that client and their
 * consent: its access tokens then fail on the next FHIR request (the grant behind them is gone, see
 * {@code ActiveTokenValidator}), introspection calls them inactive, and its refresh tokens are refused.
 * A plain server-rendered page under the sign-in chain (password and second factor), no scripts.
 */
@Controller
public class ConnectedAppsPage {

  public static final String PATH = "/account/apps";

  private static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

  private final JdbcTemplate jdbc;
  private final OAuth2AuthorizationService authorizations;
  private final OAuth2AuthorizationConsentService consents;
  private final RegisteredClientRepository clients;

  public ConnectedAppsPage(JdbcTemplate authJdbcTemplate, OAuth2AuthorizationService authorizations,
      OAuth2AuthorizationConsentService consents, RegisteredClientRepository clients) {
    this.jdbc = authJdbcTemplate;
    this.authorizations = authorizations;
    this.consents = consents;
    this.clients = clients;
  }

  /** One app the person authorized: its grants to it taken together. */
  public record ConnectedApp(String clientId, String name, List<String> scopes, Instant firstGranted, Instant lastUsed) {}

  @GetMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
  @ResponseBody
  public List<Map<String, Object>> json(HttpServletResponse response) {
    response.setHeader("Cache-Control", "no-store");
    List<Map<String, Object>> apps = new ArrayList<>();
    for (ConnectedApp app : connectedApps(signedIn())) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("client_id", app.clientId());
      entry.put("name", app.name());
      entry.put("scopes", app.scopes());
      entry.put("first_granted", String.valueOf(app.firstGranted()));
      entry.put("last_used", String.valueOf(app.lastUsed()));
      apps.add(entry);
    }
    return apps;
  }

  @GetMapping(path = PATH, produces = {MediaType.TEXT_HTML_VALUE, MediaType.ALL_VALUE})
  public void page(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String user = signedIn();
    CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
    StringBuilder html = new StringBuilder()
        .append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>Custodian: connected apps</title></head><body>")
        .append("<h1>Connected apps</h1><p>Signed in as <strong>").append(esc(user))
        .append("</strong>. These apps may read or change your records with the access you granted them. ")
        .append("<em>Last used</em> is when the app was last issued a token.</p>")
        .append("<p><a href=\"").append(esc(request.getContextPath() + SignInHistoryPage.PATH))
        .append("\">Recent sign-ins and login alerts</a> · <a href=\"")
        .append(esc(request.getContextPath() + dev.custodian.server.auth.mfa.SignInFlow.ENROLMENT_PAGE))
        .append("\">Second factor</a></p>");
    List<ConnectedApp> apps = connectedApps(user);
    if (apps.isEmpty()) {
      html.append("<p role=\"status\">No apps are connected to your account.</p>");
    } else {
      html.append("<table><thead><tr><th>App</th><th>Access granted</th><th>First granted</th><th>Last used</th>")
          .append("<th></th></tr></thead><tbody>");
      for (ConnectedApp app : apps) {
        html.append("<tr><td>").append(esc(app.name())).append(" <small>(").append(esc(app.clientId()))
            .append(")</small></td><td><ul>");
        app.scopes().forEach(scope -> html.append("<li>").append(esc(scope)).append("</li>"));
        html.append("</ul></td><td>").append(esc(String.valueOf(app.firstGranted())))
            .append("</td><td>").append(esc(String.valueOf(app.lastUsed())))
            .append("</td><td><form method=\"post\" action=\"")
            .append(esc(request.getContextPath() + PATH + "/" + urlSegment(app.clientId()) + "/revoke")).append("\">");
        if (csrf != null) {
          html.append("<input type=\"hidden\" name=\"").append(esc(csrf.getParameterName()))
              .append("\" value=\"").append(esc(csrf.getToken())).append("\">");
        }
        html.append("<button type=\"submit\">Revoke access</button></form></td></tr>");
      }
      html.append("</tbody></table>");
    }
    html.append("</body></html>");
    response.setContentType(MediaType.TEXT_HTML_VALUE + ";charset=UTF-8");
    response.setHeader("Cache-Control", "no-store");
    response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    response.getWriter().write(html.toString());
  }

  /**
   * Revokes every grant of the signed-in person to {@code clientId}, and their consent. An unknown
   * client, or one they never authorized, changes nothing: 404.
   */
  @PostMapping(PATH + "/{clientId}/revoke")
  public void revoke(@PathVariable("clientId") String clientId, HttpServletRequest request,
      HttpServletResponse response) throws IOException {
    String user = signedIn();
    RegisteredClient client = clients.findByClientId(clientId);
    if (client == null || revokeAll(user, client) == 0) {
      response.sendError(HttpServletResponse.SC_NOT_FOUND, "No app with that id is connected to your account");
      return;
    }
    response.setStatus(HttpServletResponse.SC_SEE_OTHER);
    response.setHeader("Location", request.getContextPath() + PATH);
  }

  private int revokeAll(String user, RegisteredClient client) {
    int removed = 0;
    List<String> ids = jdbc.queryForList(
        "select id from oauth2_authorization where principal_name = ? and registered_client_id = ?",
        String.class, user, client.getId());
    for (String id : ids) {
      OAuth2Authorization grant = authorizations.findById(id);
      if (grant != null) {
        authorizations.remove(grant);
        removed++;
      }
    }
    OAuth2AuthorizationConsent consent = consents.findById(client.getId(), user);
    if (consent != null) {
      consents.remove(consent);
      removed++;
    }
    return removed;
  }

  /**
   * The apps with a token issued for this person (grants still waiting for a code exchange are
   * not connections yet), by client.
   */
  List<ConnectedApp> connectedApps(String user) {
    Map<String, ConnectedApp> byClient = new LinkedHashMap<>();
    jdbc.query(
        "select registered_client_id, authorized_scopes, authorization_code_issued_at, access_token_issued_at,"
            + " refresh_token_issued_at from oauth2_authorization"
            + " where principal_name = ? and access_token_value is not null and authorization_grant_type <> ?"
            + " order by access_token_issued_at",
        rs -> {
          String clientKey = rs.getString(1);
          Instant granted = earliest(instant(rs.getTimestamp(3)), instant(rs.getTimestamp(4)));
          Instant used = latest(instant(rs.getTimestamp(4)), instant(rs.getTimestamp(5)));
          TreeSet<String> scopes = new TreeSet<>();
          String authorized = rs.getString(2);
          if (authorized != null && !authorized.isBlank()) {
            scopes.addAll(List.of(authorized.split(",")));
          }
          ConnectedApp known = byClient.get(clientKey);
          if (known != null) {
            scopes.addAll(known.scopes());
            granted = earliest(granted, known.firstGranted());
            used = latest(used, known.lastUsed());
          }
          byClient.put(clientKey, new ConnectedApp(null, null, List.copyOf(scopes), granted, used));
        },
        user, AuthorizationGrantType.CLIENT_CREDENTIALS.getValue());
    List<ConnectedApp> apps = new ArrayList<>();
    byClient.forEach((registeredId, app) -> {
      RegisteredClient client = clients.findById(registeredId);
      if (client != null) {
        apps.add(new ConnectedApp(client.getClientId(), client.getClientName(), app.scopes(), app.firstGranted(),
            app.lastUsed()));
      }
    });
    return apps;
  }

  /** The fully signed-in person (a sign-in with its second factor still due never gets here). */
  static String signedIn() {
    Authentication user = SecurityContextHolder.getContext().getAuthentication();
    if (user == null || !user.isAuthenticated() || user instanceof SecondFactorPending) {
      throw new org.springframework.security.access.AccessDeniedException("not signed in");
    }
    return user.getName();
  }

  private static Instant instant(Timestamp value) {
    return value == null ? null : value.toInstant();
  }

  private static Instant earliest(Instant a, Instant b) {
    return a == null ? b : b == null || a.isBefore(b) ? a : b;
  }

  private static Instant latest(Instant a, Instant b) {
    return a == null ? b : b == null || a.isAfter(b) ? a : b;
  }

  private static String urlSegment(String value) {
    return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
  }

  static String esc(String text) {
    return text == null ? "" : HtmlUtils.htmlEscape(text);
  }
}
