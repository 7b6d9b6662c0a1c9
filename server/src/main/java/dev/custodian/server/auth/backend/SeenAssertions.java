package dev.custodian.server.auth.backend;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The {@code jti} values of the client assertions accepted so far, per client, in PostgreSQL (table
 * {@code custodian_client_assertion_jti}) so that every server node knows what any node accepted.
 * The first use of a {@code (client, jti)} wins — one atomic insert — and every later use is a
 * replay. A row is kept until its assertion has expired (an expired assertion is refused anyway),
 * then deleted by the next use after {@link #CLEAN_EVERY}.
 */
public class SeenAssertions {

  static final Duration CLEAN_EVERY = Duration.ofMinutes(1);

  private final JdbcTemplate jdbc;
  private final Clock clock;
  private final AtomicReference<Instant> lastClean = new AtomicReference<>(Instant.EPOCH);

  public SeenAssertions(JdbcTemplate jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /**
   * Records {@code jti} of {@code clientId}, to be remembered until {@code keepUntil}; true if this
   * is its first use, false if it was seen before (a replay).
   */
  public boolean firstUse(String clientId, String jti, Instant keepUntil) {
    cleanIfDue();
    int inserted = jdbc.update(
        "insert into custodian_client_assertion_jti (client_id, jti, expires_at) values (?, ?, ?)"
            + " on conflict (client_id, jti) do nothing",
        clientId, jti, Timestamp.from(keepUntil));
    return inserted == 1;
  }

  /** Deletes the rows of assertions that have expired; returns how many. */
  public int deleteExpired() {
    return jdbc.update(
        "delete from custodian_client_assertion_jti where expires_at < ?", Timestamp.from(clock.instant()));
  }

  private void cleanIfDue() {
    Instant now = clock.instant();
    Instant last = lastClean.get();
    if (now.isAfter(last.plus(CLEAN_EVERY)) && lastClean.compareAndSet(last, now)) {
      deleteExpired();
    }
  }
}
