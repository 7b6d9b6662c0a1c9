package dev.custodian.server.auth.launch;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.web.authentication.logout.LogoutHandler;

/**
 * {@code POST /logout} with {@code revoke_tokens=true}: besides ending the session, revokes the
 * grants bound to it ({@code online_access}), so their access tokens stop working at once too, not
 * only their refresh tokens. Each revocation is audited by the authorization store.
 */
public class SignOutRevocation implements LogoutHandler {

  public static final String PARAMETER = "revoke_tokens";

  private final JdbcTemplate jdbc;
  private final OAuth2AuthorizationService authorizations;

  public SignOutRevocation(JdbcTemplate jdbc, OAuth2AuthorizationService authorizations) {
    this.jdbc = jdbc;
    this.authorizations = authorizations;
  }

  @Override
  public void logout(HttpServletRequest request, HttpServletResponse response, Authentication authentication) {
    HttpSession session = request.getSession(false);
    if (!"true".equals(request.getParameter(PARAMETER)) || session == null || authentication == null) {
      return;
    }
    Object key = session.getAttribute(SignInSessions.KEY);
    if (!(key instanceof String sessionKey)) {
      return;
    }
    // narrowed in SQL by the key's text, then checked exactly on each grant's attributes
    for (String id : jdbc.queryForList(
        "select id from oauth2_authorization where principal_name = ? and strpos(attributes, ?) > 0",
        String.class, authentication.getName(), sessionKey)) {
      OAuth2Authorization grant = authorizations.findById(id);
      if (grant != null && sessionKey.equals(LaunchAttributes.signInSession(grant))) {
        authorizations.remove(grant);
      }
    }
  }
}
