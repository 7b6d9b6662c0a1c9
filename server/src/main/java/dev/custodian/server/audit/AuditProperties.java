package dev.custodian.server.audit;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Period;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The audit trail ({@code custodian.audit.*}).
 *
 * @param checkpointInterval how often the chain head is signed (default 5 minutes; only when the
 *     chain grew)
 * @param checkpointKeystore the PKCS#12 keystore of the checkpoint-signing key (EC P-256), created on
 *     first start
 * @param checkpointKeystorePassword its password
 * @param retention how long audit records are kept at least (default 6 years, HIPAA's documentation
 *     retention); nothing deletes them earlier
 * @param commitDelay under load (appends arriving less than this apart), how long at most the
 *     request that commits the next batch of audit events first waits for the requests still on their
 *     way to the audit trail (default 3 ms, 0 turns it off; at most 100 ms): fewer, larger commits,
 *     for at most this much more latency
 */
@ConfigurationProperties(prefix = "custodian.audit")
public record AuditProperties(
    Duration checkpointInterval,
    Path checkpointKeystore,
    String checkpointKeystorePassword,
    Period retention,
    Duration commitDelay) {

  /** The shortest retention accepted: six years (45 CFR 164.316(b)(2)). */
  public static final Period MINIMUM_RETENTION = Period.ofYears(6);

  /** The longest commit delay accepted: beyond it a request waits longer than a commit takes. */
  public static final Duration MAXIMUM_COMMIT_DELAY = Duration.ofMillis(100);

  public AuditProperties {
    checkpointInterval = checkpointInterval == null ? Duration.ofMinutes(5) : checkpointInterval;
    if (checkpointInterval.isNegative() || checkpointInterval.isZero()) {
      throw new IllegalArgumentException("custodian.audit.checkpoint-interval must be positive");
    }
    checkpointKeystore = checkpointKeystore == null ? Path.of("data", "keys", "audit-checkpoint.p12") : checkpointKeystore;
    retention = retention == null ? MINIMUM_RETENTION : retention;
    commitDelay = commitDelay == null ? Duration.ofMillis(3) : commitDelay;
    if (commitDelay.isNegative() || commitDelay.compareTo(MAXIMUM_COMMIT_DELAY) > 0) {
      throw new IllegalArgumentException(
          "custodian.audit.commit-delay must be between 0 and " + MAXIMUM_COMMIT_DELAY.toMillis() + " ms, not " + commitDelay);
    }
    if (retention.toTotalMonths() < MINIMUM_RETENTION.toTotalMonths()) {
      throw new IllegalArgumentException(
          "custodian.audit.retention must be at least " + MINIMUM_RETENTION + " (HIPAA), not " + retention);
    }
  }
}
