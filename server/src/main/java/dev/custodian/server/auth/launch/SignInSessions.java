package dev.custodian.server.auth.launch;

import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The sign-in sessions that {@code online_access} refresh tokens are bound to. A session gets a
 * random key (an attribute of the HTTP session, so it survives the session id changing at sign-in)
 * and a row in PostgreSQL the first time an online grant is made in it; when the session ends —
 * logout, or the idle timeout — the row goes, and refresh tokens bound to it stop working on every
 * node.
 *
 * <p>Limit: sessions live in the memory of the node that signed the user in. A node that stops
 * without ending them (a crash) leaves their rows behind; their online refresh tokens then keep
 * working until they expire.
 */
public class SignInSessions implements HttpSessionListener {

  static final String KEY = SignInSessions.class.getName() + ".key";

  private final JdbcTemplate jdbc;

  public SignInSessions(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** The key of {@code session}, recorded as alive for {@code username}. */
  public String bind(HttpSession session, String username) {
    synchronized (session) {
      String key = (String) session.getAttribute(KEY);
      if (key == null) {
        key = UUID.randomUUID().toString();
        session.setAttribute(KEY, key);
      }
      jdbc.update(
          "insert into custodian_sign_in_session (session_key, username) values (?, ?) on conflict (session_key) do nothing",
          key, username);
      return key;
    }
  }

  /** Whether the session with this key has not ended. */
  public boolean alive(String key) {
    Integer rows = jdbc.queryForObject(
        "select count(*) from custodian_sign_in_session where session_key = ?", Integer.class, key);
    return rows != null && rows > 0;
  }

  @Override
  public void sessionDestroyed(HttpSessionEvent event) {
    Object key = event.getSession().getAttribute(KEY);
    if (key instanceof String value) {
      jdbc.update("delete from custodian_sign_in_session where session_key = ?", value);
    }
  }
}
