package dev.custodian.server.auth.housekeeping;

import dev.custodian.server.auth.backend.SeenAssertions;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Deletes the authorization server's records that can no longer do anything, and nothing else:
 *
 * <ul>
 *   <li>grants ({@code oauth2_authorization}) whose code, access token and refresh token have all
 *       expired — a grant with any token still valid (a live refresh token behind an expired access
 *       token, say) stays; a row with no expiry at all (nothing issued yet) stays too;</li>
 *   <li>spent refresh tokens of grants that are gone (nothing is left for their reuse to revoke, and
 *       the token itself is refused as unknown);</li>
 *   <li>EHR launch contexts an hour past their expiry (used or not: an expired launch is refused
 *       either way; the hour keeps the precise refusal reason for a while);</li>
 *   <li>the {@code jti}s of expired client assertions ({@link SeenAssertions#deleteExpired});</li>
 *   <li>sign-in session rows ({@code online_access}) older than a day that no grant refers to any
 *       more (left behind by a node that stopped without ending its sessions; a live session makes
 *       its row again with its next online grant).</li>
 * </ul>
 *
 * Expired means expired at least {@link #GRACE} ago, so clock skew between nodes never removes a
 * record another node still honours. Deleting is not revoking: nothing here is audited as a
 * revocation (the grants' tokens had expired already).
 */
public class ExpiredRecords {

  /** How long past its expiry a record is kept. */
  static final Duration GRACE = Duration.ofMinutes(5);
  static final Duration LAUNCH_GRACE = Duration.ofHours(1);
  static final Duration SESSION_AGE = Duration.ofDays(1);

  private final JdbcTemplate jdbc;
  private final SeenAssertions assertions;
  private final Clock clock;

  public ExpiredRecords(JdbcTemplate jdbc, SeenAssertions assertions, Clock clock) {
    this.jdbc = jdbc;
    this.assertions = assertions;
    this.clock = clock;
  }

  /** How many rows of each kind one purge deleted. */
  public record Purged(int grants, int spentRefreshTokens, int launchContexts, int assertionJtis, int signInSessions) {
    public int total() {
      return grants + spentRefreshTokens + launchContexts + assertionJtis + signInSessions;
    }
  }

  public Purged purge() {
    Instant now = clock.instant();
    Timestamp before = Timestamp.from(now.minus(GRACE));
    int grants = jdbc.update(
        "delete from oauth2_authorization where"
            + " coalesce(authorization_code_expires_at, access_token_expires_at, refresh_token_expires_at) is not null"
            + " and (authorization_code_expires_at is null or authorization_code_expires_at < ?)"
            + " and (access_token_expires_at is null or access_token_expires_at < ?)"
            + " and (refresh_token_expires_at is null or refresh_token_expires_at < ?)",
        before, before, before);
    int spent = jdbc.update(
        "delete from custodian_spent_refresh_token s"
            + " where not exists (select 1 from oauth2_authorization a where a.id = s.authorization_id)");
    int launches = jdbc.update(
        "delete from custodian_launch_context where expires_at < ?", Timestamp.from(now.minus(LAUNCH_GRACE)));
    int sessions = jdbc.update(
        "delete from custodian_sign_in_session s where created_at < ? and not exists"
            + " (select 1 from oauth2_authorization a where strpos(a.attributes, s.session_key) > 0)",
        Timestamp.from(now.minus(SESSION_AGE)));
    return new Purged(grants, spent, launches, assertions.deleteExpired(), sessions);
  }
}
