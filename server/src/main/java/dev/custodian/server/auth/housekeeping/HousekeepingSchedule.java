package dev.custodian.server.auth.housekeeping;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs {@link ExpiredRecords#purge()} every interval while the server runs (first one interval
 * after start). Every node may run it: the deletes are idempotent.
 */
public class HousekeepingSchedule implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(HousekeepingSchedule.class);

  private final ExpiredRecords records;
  private final Duration interval;
  private ScheduledExecutorService executor;

  public HousekeepingSchedule(ExpiredRecords records, Duration interval) {
    this.records = records;
    this.interval = interval;
  }

  @Override
  public synchronized void start() {
    executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "auth-housekeeping");
      thread.setDaemon(true);
      return thread;
    });
    long millis = interval.toMillis();
    executor.scheduleWithFixedDelay(this::purgeQuietly, millis, millis, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() {
    if (executor != null) {
      executor.shutdownNow();
      executor = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return executor != null;
  }

  private void purgeQuietly() {
    try {
      ExpiredRecords.Purged purged = records.purge();
      if (purged.total() > 0) {
        log.info("Purged expired authorization records: {}", purged);
      }
    } catch (RuntimeException e) {
      log.warn("Purging expired authorization records failed; trying again in {}", interval, e);
    }
  }
}
