package dev.custodian.server.audit.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.hl7.fhir.r4.model.AuditEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends audit events with group commit, led by the requests themselves: a request queues its
 * events and takes the commit lock; whoever holds it appends everything queued, its own events and
 * those of requests that came meanwhile, in one statement — one commit, one WAL flush — and releases
 * them. A request that finds the lock taken waits until its events are committed by another, or
 * until it is woken to commit them itself. Each request returns only after its own events are
 * committed, so a response never leaves before its audit record is durable.
 *
 * <p>Why no writer thread of its own: commits carry only a few events (1.6 on average at 8
 * concurrent reads, 2.8 with the commit delay below), and handing them to another thread and back
 * (waking it, parking the request, waking the request again) adds thread switches to every request.
 * A lone request now commits on its own thread. (On its own this change did not move the benchmark
 * beyond its noise; the commit delay, which builds on it, did.)
 *
 * <p>Commit delay: when appends arrive less than {@code commitDelay} apart, the request that is to
 * commit first waits for the requests still on their way to the audit trail ({@link
 * RequestsBeforeAudit}: taken by the server, not yet queued), until the last of them has queued or
 * {@code commitDelay} is up, so that they join its commit. Each commit costs the database a WAL
 * flush and a round trip whatever it carries, so under load fewer, larger commits cost less per
 * request. When requests come further apart, or none is on its way, nobody waits. (PostgreSQL's
 * {@code commit_delay} does the same for its own sessions; here all events go through one
 * connection, so it has to happen before the statement.) Waiting a fixed time instead, as an earlier
 * version did, idled the CPU whenever every request under way already waited for that commit: at 8
 * concurrent reads it gave 1.2 to 2.8 events per commit at 1 ms depending on the run, and longer
 * fixed waits idled more than they saved; waiting for the requests on their way gave about 4 at a
 * 3 ms limit in the same run as the 1.2, and CPU off/on of 0.83–0.86 instead of 0.80–0.82 (session
 * 12, servers side by side, interleaved rounds). At 8 concurrent reads on 2 cores the wait mostly
 * runs to its limit all the same (session 15: 2.7 ms on average at the 3 ms default, about 3 requests
 * still on their way when it ended; 3.2 events and about 1.1 ms per commit, 0.54 ms of it the WAL
 * flush), and the CPU idles about a tenth of the time while requests wait; at 16 connections and more
 * it hardly idles. Neither letting each request write its answer during the commit nor committing
 * without the flush and sharing one flush among commits reduced that idle time (see the README).
 */
public class GroupCommitWriter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);
  /** At most this many events go into one statement. */
  static final int MAX_BATCH_EVENTS = 1000;

  /** A request's events and what became of them; {@code waiter} is the request's thread. */
  private static final class Pending {
    private static final Object COMMITTED = new Object();
    final List<AuditEventStore.Prepared> events;
    final Thread waiter = Thread.currentThread();
    /** Null while pending, then {@link #COMMITTED} or the Throwable the commit failed with. */
    volatile Object outcome;

    Pending(List<AuditEventStore.Prepared> events) {
      this.events = events;
    }

    boolean done() {
      return outcome != null;
    }

    void finish(Object result) {
      outcome = result;
      LockSupport.unpark(waiter);
    }
  }

  private final AuditEventStore store;
  private final RequestsBeforeAudit underWay;
  /** The request that waits for others to join its commit, if any: woken when none is left to wait for. */
  private volatile Thread waitingToCommit;
  private final Duration timeout;
  private final long commitDelayNanos;
  /** When the last append arrived ({@link System#nanoTime}). */
  private final AtomicLong lastArrival = new AtomicLong(System.nanoTime() - Long.MAX_VALUE / 2);
  private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final ReentrantLock commitLock = new ReentrantLock();
  private volatile boolean running = true;

  /**
   * @param underWay the requests still on their way to the audit trail, which a commit waits for
   * @param timeout how long a request waits for its events to be committed before it gives up on
   *     them (while they are still queued)
   * @param commitDelay how long a request that commits waits first for other requests' events when
   *     appends are arriving less than this apart (zero: never waits)
   */
  public GroupCommitWriter(AuditEventStore store, RequestsBeforeAudit underWay, Duration timeout, Duration commitDelay) {
    this.store = store;
    this.underWay = underWay;
    underWay.whenNone(() -> {
      Thread waiting = waitingToCommit;
      if (waiting != null) {
        LockSupport.unpark(waiting);
      }
    });
    this.timeout = timeout;
    this.commitDelayNanos = commitDelay.toNanos();
  }

  /**
   * Appends {@code events}; returns once they are committed, throws if they could not be.
   *
   * <p>A request waits for its own events, not for the lock: the request that commits wakes each
   * request whose events it committed, all at once, and after releasing the lock wakes the request
   * at the head of the queue, if any, to commit the events that came meanwhile. (Waiting for the lock
   * instead, as an earlier version did, woke the waiters one after another, each only once the one
   * before had taken the lock, found its events committed and released the lock again; and a request
   * arriving meanwhile could take the lock first and hold it through its commit delay.)
   */
  public void append(List<AuditEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    if (!running) {
      throw new IllegalStateException("the audit writer has stopped; the access cannot be recorded");
    }
    // encoding and indexing happen here, before the lock, in parallel with other requests
    Pending pending = new Pending(events.stream().map(AuditEventStore::prepare).toList());
    long now = System.nanoTime();
    boolean busy = commitDelayNanos > 0 && now - lastArrival.getAndSet(now) < commitDelayNanos;
    long deadline = now + timeout.toNanos();
    queue.add(pending);
    underWay.leave(); // queued: a commit from now on takes these events
    while (!pending.done()) {
      if (commitLock.tryLock()) {
        try {
          commitUntilDone(pending, busy);
        } finally {
          commitLock.unlock();
          handOver();
        }
        break;
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0 && queue.remove(pending)) {
        throw new IllegalStateException("the audit record was not written within " + timeout);
      }
      // woken when its events are committed, or when it is at the head of the queue and the lock free;
      // once its events are being committed (no longer queued), it waits for that commit to end
      LockSupport.parkNanos(this, Math.max(remaining, commitDelayNanos + 1_000_000));
      if (Thread.interrupted()) {
        // the events may still be committed; the request is failed either way
        queue.remove(pending);
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while recording the audit trail");
      }
    }
    if (pending.outcome instanceof Throwable failure) {
      throw new IllegalStateException("the audit record could not be written", failure);
    }
  }

  /** Commits what is queued until {@code pending} is committed; the caller holds the lock. */
  private void commitUntilDone(Pending pending, boolean busy) {
    if (busy && !pending.done()) {
      waitForRequestsUnderWay();
    }
    while (!pending.done()) {
      if (!commitQueued()) {
        // gone from the queue yet not completed: only an Error while another request took it off the
        // queue leads here; fail rather than spin
        pending.finish(new IllegalStateException("the audit events left the queue uncommitted"));
      }
    }
  }

  /**
   * Other requests are appending too: gives those under way, not yet queued, up to the commit delay
   * to join this commit, and no longer once none is left (waiting then would only idle the CPU).
   */
  private void waitForRequestsUnderWay() {
    long deadline = System.nanoTime() + commitDelayNanos;
    waitingToCommit = Thread.currentThread();
    try {
      long remaining;
      while (underWay.count() > 0 && (remaining = deadline - System.nanoTime()) > 0) {
        LockSupport.parkNanos(this, remaining);
      }
    } finally {
      waitingToCommit = null;
    }
  }

  /** Wakes the request at the head of the queue, if any, to commit what came during the last commit. */
  private void handOver() {
    Pending next = queue.peek();
    if (next != null) {
      LockSupport.unpark(next.waiter);
    }
  }

  /**
   * Commits what is queued (up to {@link #MAX_BATCH_EVENTS} events) and wakes their requests; the
   * caller holds the lock. Returns false when nothing was queued.
   */
  private boolean commitQueued() {
    List<Pending> batch = new ArrayList<>();
    List<AuditEventStore.Prepared> all = new ArrayList<>();
    Pending next;
    while (all.size() < MAX_BATCH_EVENTS && (next = queue.poll()) != null) {
      batch.add(next);
      all.addAll(next.events);
    }
    if (batch.isEmpty()) {
      return false;
    }
    try {
      store.appendPrepared(all);
      batch.forEach(pending -> pending.finish(Pending.COMMITTED));
    } catch (RuntimeException | Error e) {
      // every taken request is told, or it would wait for events nobody holds
      log.error("Could not append {} audit events; their requests fail", all.size(), e);
      batch.forEach(pending -> pending.finish(e));
      if (e instanceof Error error) {
        throw error;
      }
    }
    return true;
  }

  /** Stops taking events once the commit under way, if any, is done. */
  @Override
  public void close() {
    running = false;
    try {
      if (commitLock.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        commitLock.unlock();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
