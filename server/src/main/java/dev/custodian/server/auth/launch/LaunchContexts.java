package dev.custodian.server.auth.launch;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * EHR launch contexts in PostgreSQL (so every server node redeems what any node created). A
 * registered EHR creates one for a patient (and optionally an encounter) and gets an opaque
 * {@code launch} value; only its SHA-256 hash is stored. A launch value is short-lived, single use,
 * and redeemable only by the app it was created for.
 */
public class LaunchContexts {

  /** How long an app has to redeem a launch value. */
  public static final Duration LIFETIME = Duration.ofMinutes(5);

  private final JdbcTemplate jdbc;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public LaunchContexts(JdbcTemplate jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** The context an EHR launched an app into: a Patient id and, optionally, an Encounter id. */
  public record Context(String patient, String encounter) {}

  /** Why a launch value cannot be used, or {@code null} when it can (still unused). */
  public record Problem(String description) {}

  /** Stores a new launch context and returns its (only) copy of the launch value. */
  public String create(String createdBy, String clientId, Context context) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String launch = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Instant now = clock.instant();
    jdbc.update("delete from custodian_launch_context where expires_at < ?", Timestamp.from(now.minus(Duration.ofDays(1))));
    jdbc.update(
        "insert into custodian_launch_context (launch_hash, created_by, client_id, patient, encounter, created_at, expires_at)"
            + " values (?, ?, ?, ?, ?, ?, ?)",
        hash(launch), createdBy, clientId, context.patient(), context.encounter(),
        Timestamp.from(now), Timestamp.from(now.plus(LIFETIME)));
    return launch;
  }

  /** Whether {@code clientId} could redeem {@code launch} now, without redeeming it. */
  public Problem check(String launch, String clientId) {
    List<Problem> found = jdbc.query(
        "select client_id, expires_at, used_at from custodian_launch_context where launch_hash = ?",
        (rs, n) -> problem(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getTimestamp(3) != null, clientId),
        hash(launch));
    return found.isEmpty() ? new Problem("unknown launch value") : found.get(0);
  }

  /**
   * Redeems {@code launch} for {@code clientId} and the signed-in {@code username}: at most once,
   * before it expires. Returns the context, or throws {@link LaunchRefused} saying why not.
   */
  public Context redeem(String launch, String clientId, String username) {
    Instant now = clock.instant();
    List<Context> redeemed = jdbc.query(
        "update custodian_launch_context set used_at = ?, used_by = ?"
            + " where launch_hash = ? and client_id = ? and used_at is null and expires_at > ?"
            + " returning patient, encounter",
        (rs, n) -> new Context(rs.getString(1), rs.getString(2)),
        Timestamp.from(now), username, hash(launch), clientId, Timestamp.from(now));
    if (redeemed.isEmpty()) {
      Problem problem = check(launch, clientId);
      throw new LaunchRefused(problem == null ? "launch value already used" : problem.description());
    }
    return redeemed.get(0);
  }

  private Problem problem(String boundClient, Instant expiresAt, boolean used, String clientId) {
    if (!boundClient.equals(clientId)) {
      return new Problem("this launch value was created for another app");
    }
    if (used) {
      return new Problem("launch value already used");
    }
    if (!expiresAt.isAfter(clock.instant())) {
      return new Problem("launch value expired");
    }
    return null;
  }

  /** A launch value that cannot be redeemed. */
  public static final class LaunchRefused extends RuntimeException {
    public LaunchRefused(String reason) {
      super(reason);
    }
  }

  static String hash(String value) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
