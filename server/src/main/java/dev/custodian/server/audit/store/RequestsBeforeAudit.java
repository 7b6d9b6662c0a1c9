package dev.custodian.server.audit.store;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many requests are under way that have not yet handed their audit events to the writer: the
 * requests a commit may still wait for ({@link GroupCommitWriter}). A request enters when the server
 * takes it ({@code RequestsBeforeAuditFilter}, the first filter, before token checks; uploads are not
 * counted), and leaves when it queues its first audit events or, if it never does, when it ends.
 *
 * <p>Why count them: the request that commits the next batch waits for others to join it, so that a
 * commit carries more events. Waiting for a fixed time let the CPU fall idle whenever every request
 * under way was already waiting for the same commit; waiting only while some request is still on its
 * way to the audit trail keeps the commits large without that.
 */
public final class RequestsBeforeAudit {

  /** Whether the current thread's request is counted; one request is served by one thread. */
  private final ThreadLocal<Boolean> counted = new ThreadLocal<>();
  private final AtomicInteger count = new AtomicInteger();
  private volatile Runnable whenNone = () -> {};

  /** Counts the current thread's request, once. */
  public void enter() {
    if (counted.get() == null) {
      counted.set(Boolean.TRUE);
      count.incrementAndGet();
    }
  }

  /** The current thread's request no longer counts (it queued its events, or it ended); idempotent. */
  public void leave() {
    if (counted.get() != null) {
      counted.remove();
      if (count.decrementAndGet() == 0) {
        whenNone.run();
      }
    }
  }

  /** How many requests are counted now. */
  public int count() {
    return count.get();
  }

  /** Runs {@code action} (it must be quick) whenever the count falls to zero. */
  void whenNone(Runnable action) {
    this.whenNone = action;
  }
}
