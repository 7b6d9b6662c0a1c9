package dev.custodian.server.audit.chain;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Signs the audit chain head every interval while the server runs, and once more when it stops, so
 * that at most one interval of events is covered by the hash chain alone.
 */
public class CheckpointSchedule implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(CheckpointSchedule.class);

  private final AuditCheckpoints checkpoints;
  private final Duration interval;
  private ScheduledExecutorService executor;

  public CheckpointSchedule(AuditCheckpoints checkpoints, Duration interval) {
    this.checkpoints = checkpoints;
    this.interval = interval;
  }

  @Override
  public synchronized void start() {
    executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "audit-checkpoints");
      thread.setDaemon(true);
      return thread;
    });
    long millis = interval.toMillis();
    executor.scheduleWithFixedDelay(this::signQuietly, millis, millis, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() {
    if (executor != null) {
      executor.shutdownNow();
      executor = null;
      signQuietly();
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return executor != null;
  }

  /** Stops before the database does. */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 100;
  }

  private void signQuietly() {
    try {
      checkpoints.signHead().ifPresent(checkpoint ->
          log.debug("Signed audit checkpoint at sequence {}", checkpoint.sequence()));
    } catch (RuntimeException e) {
      log.warn("Could not sign an audit checkpoint: {}", e.toString());
    }
  }
}
