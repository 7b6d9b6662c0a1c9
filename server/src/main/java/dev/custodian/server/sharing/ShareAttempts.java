package dev.custodian.server.sharing;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Failed share-link attempts per client address, in PostgreSQL ({@code custodian_share_attempt}) so
 * that all nodes count together: a fixed window that starts at an address's first failure; at
 * {@code maxFailures} failures in it the address waits until the window ends. Each failure also
 * deletes the rows whose window ended. Written here rather than
 * taken from a rate-limiting library because it must be shared across nodes through the database we
 * already have, and it is two statements.
 */
class ShareAttempts {

  private final JdbcTemplate jdbc;
  private final ShareRateLimitProperties properties;

  ShareAttempts(JdbcTemplate jdbc, ShareRateLimitProperties properties) {
    this.jdbc = jdbc;
    this.properties = properties;
  }

  /** How long {@code address} must wait before its next attempt, if it failed too often lately. */
  Optional<Duration> waitFor(String address, Instant now) {
    if (exempt(address)) {
      return Optional.empty();
    }
    List<Timestamp> started = jdbc.queryForList("SELECT window_start FROM custodian_share_attempt"
        + " WHERE address = ? AND failures >= ? AND window_start > ?", Timestamp.class,
        key(address), properties.maxFailures(), Timestamp.from(now.minus(properties.window())));
    if (started.isEmpty()) {
      return Optional.empty();
    }
    Duration left = Duration.between(now, started.get(0).toInstant().plus(properties.window()));
    return Optional.of(left.toSeconds() < 1 ? Duration.ofSeconds(1) : left);
  }

  /** Counts one failed attempt of {@code address} (a new window if the last one is over). */
  void failed(String address, Instant now) {
    if (exempt(address)) {
      return;
    }
    Timestamp windowOver = Timestamp.from(now.minus(properties.window()));
    // rows whose window ended count for nothing any more: dropped here, so the table holds only the
    // addresses that failed within one window (a guesser rotating addresses cannot grow it for ever)
    jdbc.update("DELETE FROM custodian_share_attempt WHERE window_start <= ?", windowOver);
    jdbc.update("INSERT INTO custodian_share_attempt AS a (address, window_start, failures) VALUES (?, ?, 1)"
        + " ON CONFLICT (address) DO UPDATE SET"
        + " failures = CASE WHEN a.window_start <= ? THEN 1 ELSE a.failures + 1 END,"
        + " window_start = CASE WHEN a.window_start <= ? THEN EXCLUDED.window_start ELSE a.window_start END",
        key(address), Timestamp.from(now), windowOver, windowOver);
  }

  private boolean exempt(String address) {
    return address == null || properties.exemptAddresses().contains(address);
  }

  private static String key(String address) {
    return address.length() > 64 ? address.substring(0, 64) : address;
  }
}
