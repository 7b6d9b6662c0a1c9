package dev.custodian.server.audit.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.hl7.fhir.r4.model.AuditEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends audit events with group commit: requests hand their events to one writer thread, which
 * appends everything waiting in one statement — one commit (one WAL flush) —
 * and then releases the waiting requests. Each request still returns only after its own events are
 * committed, so a response never leaves before its audit record is durable; what group commit saves
 * is the serialized lock-and-flush per request, which otherwise caps throughput at one commit
 * latency per request.
 */
public class GroupCommitWriter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);
  /** At most this many events go into one transaction. */
  static final int MAX_BATCH_EVENTS = 1000;

  private record Pending(List<AuditEventStore.Prepared> events, CompletableFuture<Void> committed) {}

  private final AuditEventStore store;
  private final Duration timeout;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private volatile boolean running = true;

  public GroupCommitWriter(AuditEventStore store, Duration timeout) {
    this.store = store;
    this.timeout = timeout;
    this.writer = new Thread(this::run, "audit-writer");
    this.writer.setDaemon(true);
    this.writer.start();
  }

  /** Appends {@code events}; returns once they are committed, throws if they could not be. */
  public void append(List<AuditEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    if (!running) {
      throw new IllegalStateException("the audit writer has stopped; the access cannot be recorded");
    }
    // encoding and indexing happen here, in the requesting thread, in parallel with other requests
    Pending pending = new Pending(events.stream().map(AuditEventStore::prepare).toList(), new CompletableFuture<>());
    queue.add(pending);
    try {
      pending.committed().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while recording the audit trail", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the audit record could not be written", e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("the audit record was not written within " + timeout, e);
    }
  }

  private void run() {
    List<Pending> batch = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        int events = first.events().size();
        Pending next;
        while (events < MAX_BATCH_EVENTS && (next = queue.poll()) != null) {
          batch.add(next);
          events += next.events().size();
        }
        commit(batch);
      } catch (InterruptedException e) {
        if (!running) {
          break;
        }
      } finally {
        batch.clear();
      }
    }
    Pending left;
    while ((left = queue.poll()) != null) {
      left.committed().completeExceptionally(new IllegalStateException("the audit writer stopped"));
    }
  }

  private void commit(List<Pending> batch) {
    List<AuditEventStore.Prepared> all = new ArrayList<>();
    batch.forEach(pending -> all.addAll(pending.events()));
    try {
      store.appendPrepared(all);
      batch.forEach(pending -> pending.committed().complete(null));
    } catch (RuntimeException e) {
      log.error("Could not append {} audit events; their requests fail", all.size(), e);
      batch.forEach(pending -> pending.committed().completeExceptionally(e));
    }
  }

  /** Commits what is waiting, then stops taking events. */
  @Override
  public void close() {
    running = false;
    try {
      writer.join(timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
