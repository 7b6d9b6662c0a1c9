package dev.custodian.server.auth.users;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/** User accounts in the {@code custodian_user} table. */
public class UserAccountRepository {

  private static final RowMapper<UserAccount> ROWS =
      (rs, n) ->
          new UserAccount(
              rs.getString("username"),
              rs.getString("password_hash"),
              rs.getString("display_name"),
              rs.getString("fhir_user"),
              roles(rs.getString("roles")),
              rs.getString("organization"),
              rs.getBoolean("enabled"),
              rs.getString("totp_secret"),
              rs.getTimestamp("locked_until") == null ? null : rs.getTimestamp("locked_until").toInstant());

  private final JdbcTemplate jdbc;

  public UserAccountRepository(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  public Optional<UserAccount> find(String username) {
    return jdbc.query("select * from custodian_user where username = ?", ROWS, username).stream().findFirst();
  }

  /** Creates the account, or leaves an existing one with that username untouched. */
  public void createIfAbsent(UserAccount account) {
    jdbc.update(
        "insert into custodian_user (username, password_hash, display_name, fhir_user, roles, organization, enabled, totp_secret)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (username) do nothing",
        account.username(),
        account.passwordHash(),
        account.displayName(),
        account.fhirUser(),
        String.join(",", account.roles()),
        account.organization(),
        account.enabled(),
        account.totpSecret());
  }

  /**
   * Counts a failed password or code; at {@code maxFailures} in a row the account locks until
   * {@code lockedUntil}. One statement, so concurrent attempts (on any node) are all counted.
   */
  public void recordFailure(String username, int maxFailures, java.time.Instant lockedUntil) {
    jdbc.update(
        "update custodian_user set failed_logins = failed_logins + 1,"
            + " locked_until = case when failed_logins + 1 >= ? then ? else locked_until end"
            + " where username = ?",
        maxFailures,
        java.sql.Timestamp.from(lockedUntil),
        username);
  }

  /**
   * Enrols a second factor: stores the TOTP secret of an account that has none yet (an existing one
   * is never replaced here); true if it was stored.
   */
  public boolean enrolSecondFactor(String username, String totpSecret) {
    return jdbc.update(
        "update custodian_user set totp_secret = ? where username = ? and totp_secret is null", totpSecret, username) == 1;
  }

  /** A complete sign-in: the failure count starts again. */
  public void recordSuccess(String username) {
    jdbc.update("update custodian_user set failed_logins = 0, locked_until = null where username = ?", username);
  }

  private static Set<String> roles(String csv) {
    Set<String> roles = new LinkedHashSet<>();
    if (csv != null) {
      Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(roles::add);
    }
    return roles;
  }
}
