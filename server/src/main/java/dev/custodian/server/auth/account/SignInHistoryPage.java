package dev.custodian.server.auth.account;

import static dev.custodian.server.auth.account.ConnectedAppsPage.esc;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The signed-in person's recent sign-ins (the last {@value #SHOWN}), with login alerts: a sign-in
 * from a device or an address not seen before for them is marked. HTML, or JSON with
 * {@code Accept: application/json}. Same sign-in and page rules as {@link ConnectedAppsPage}.
 */
@Controller
public class SignInHistoryPage {

  public static final String PATH = "/account/sign-ins";
  static final int SHOWN = 20;

  private final SignInHistory history;

  public SignInHistoryPage(SignInHistory history) {
    this.history = history;
  }

  @GetMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
  @ResponseBody
  public List<Map<String, Object>> json(HttpServletResponse response) {
    response.setHeader("Cache-Control", "no-store");
    return history.recent(ConnectedAppsPage.signedIn(), SHOWN).stream().map(signIn -> {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("signed_in_at", signIn.at().toString());
      entry.put("address", signIn.address());
      entry.put("user_agent", signIn.userAgent());
      entry.put("new_device", signIn.newDevice());
      entry.put("new_address", signIn.newAddress());
      entry.put("alert", signIn.alert());
      return entry;
    }).toList();
  }

  @GetMapping(path = PATH, produces = {MediaType.TEXT_HTML_VALUE, MediaType.ALL_VALUE})
  public void page(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String user = ConnectedAppsPage.signedIn();
    StringBuilder html = new StringBuilder()
        .append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>Custodian: recent sign-ins</title></head><body><h1>Recent sign-ins</h1>")
        .append("<p>Signed in as <strong>").append(esc(user)).append("</strong>. A sign-in from a device or an address ")
        .append("not seen before is marked <strong>New</strong>: if it was not you, change your password and tell ")
        .append("the privacy officer. <a href=\"").append(esc(request.getContextPath() + ConnectedAppsPage.PATH))
        .append("\">Connected apps</a></p><table><thead><tr><th>When</th><th>Address</th><th>Browser</th><th>Alert</th>")
        .append("</tr></thead><tbody>");
    for (SignInHistory.SignIn signIn : history.recent(user, SHOWN)) {
      String alert = signIn.newDevice() && signIn.newAddress() ? "New device and new address"
          : signIn.newDevice() ? "New device" : signIn.newAddress() ? "New address" : "";
      html.append("<tr><td>").append(esc(signIn.at().toString())).append("</td><td>").append(esc(signIn.address()))
          .append("</td><td>").append(esc(signIn.userAgent())).append("</td><td>")
          .append(alert.isEmpty() ? "" : "<strong role=\"alert\">" + esc(alert) + "</strong>").append("</td></tr>");
    }
    html.append("</tbody></table></body></html>");
    response.setContentType(MediaType.TEXT_HTML_VALUE + ";charset=UTF-8");
    response.setHeader("Cache-Control", "no-store");
    response.setHeader("Content-Security-Policy", "default-src 'none'; base-uri 'none'; frame-ancestors 'none'");
    response.getWriter().write(html.toString());
  }
}
