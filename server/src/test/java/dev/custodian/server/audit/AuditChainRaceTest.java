package dev.custodian.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custodian.audit.chain.ChainVerifier;
import dev.custodian.audit.chain.VerificationResult;
import dev.custodian.server.audit.store.AuditEventStore;
import dev.custodian.server.audit.store.GroupCommitWriter;
import dev.custodian.server.audit.store.RequestsBeforeAudit;
import java.time.Duration;
import dev.custodian.server.support.ServerTestBase;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Several writers (stores of their own, as on separate nodes) append to one chain at once, each
 * usually behind a head another writer has already moved on: every event lands exactly once, the
 * sequence stays gapless, and the chain verifies. An event id stored twice is an error, not a race
 * to retry. Requests of one node append through its group-commit writer and each returns only
 * once its own event is stored; the requests that arrive during a commit share the next one.
 */
class AuditChainRaceTest extends ServerTestBase {

  private static final int WRITERS = 4;
  private static final int APPENDS_PER_WRITER = 60;

  @Autowired JdbcTemplate authJdbcTemplate;
  @Autowired AuditEventStore store;

  @Test
  void racingWritersExtendOneGaplessChain() throws Exception {
    String agent = "Practitioner/race-" + UUID.randomUUID();
    long before = lastSequence();
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
    List<Future<List<String>>> written = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      AuditEventStore node = newNode();
      written.add(pool.submit(() -> {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < APPENDS_PER_WRITER; i++) {
          List<AuditEvent> events = new ArrayList<>();
          for (int e = 0; e <= i % 3; e++) { // batches of 1, 2 and 3 events
            events.add(event(agent));
          }
          node.append(events);
          events.forEach(event -> ids.add(event.getIdElement().getIdPart()));
        }
        return ids;
      }));
    }
    pool.shutdown();
    List<String> ids = new ArrayList<>();
    for (Future<List<String>> writer : written) {
      ids.addAll(writer.get());
    }
    int expected = WRITERS * APPENDS_PER_WRITER * 2; // 1 + 2 + 3 events per three appends
    assertThat(ids).hasSize(expected).doesNotHaveDuplicates();

    List<String> stored = authJdbcTemplate.queryForList(
        "select id::text from custodian_audit_event where agents && ?::text[] order by sequence", String.class,
        (Object) new String[] {agent});
    assertThat(stored).containsExactlyInAnyOrderElementsOf(ids);
    List<Long> sequences = authJdbcTemplate.queryForList(
        "select sequence from custodian_audit_event where sequence > ? order by sequence", Long.class, before);
    assertThat(sequences).as("gapless").hasSizeGreaterThanOrEqualTo(expected)
        .isEqualTo(java.util.stream.LongStream.rangeClosed(before + 1, before + sequences.size()).boxed().toList());

    List<AuditEvent> all = new ArrayList<>();
    store.forEachInSequence(all::add);
    VerificationResult result = new ChainVerifier(keyId -> null).verify(all, List.of());
    assertThat(result.valid()).as(result.toString()).isTrue();
  }

  @Test
  void anEventStoredTwiceIsRefusedNotRetried() {
    AuditEventStore node = newNode();
    AuditEvent event = event("Practitioner/twice-" + UUID.randomUUID());
    node.append(List.of(event));
    AuditEvent again = event.copy();
    again.setId(event.getIdElement().getIdPart());
    long last = lastSequence();
    assertThatThrownBy(() -> newNode().append(List.of(again)))
        .isInstanceOf(org.springframework.dao.DuplicateKeyException.class);
    assertThat(lastSequence()).isEqualTo(last);
    // the chain goes on behind it
    node.append(Collections.singletonList(event("Practitioner/after-" + UUID.randomUUID())));
    assertThat(lastSequence()).isEqualTo(last + 1);
  }

  /**
   * Requests appending through one group-commit writer, as a node's request threads do: each returns
   * only once its event is stored, whichever request's thread committed it.
   */
  @Test
  void eachRequestReturnsOnlyOnceItsEventIsStored() throws Exception {
    String agent = "Practitioner/group-" + UUID.randomUUID();
    // with a commit delay, as under load: requests wait for each other and share commits
    RequestsBeforeAudit underWay = new RequestsBeforeAudit();
    GroupCommitWriter writer = new GroupCommitWriter(newNode(), underWay, Duration.ofSeconds(30), Duration.ofMillis(2));
    int requests = 16;
    ExecutorService pool = Executors.newFixedThreadPool(requests);
    List<Future<Integer>> unstoredOnReturn = new ArrayList<>();
    for (int r = 0; r < requests; r++) {
      unstoredOnReturn.add(pool.submit(() -> {
        int unstored = 0;
        for (int i = 0; i < 20; i++) {
          AuditEvent event = event(agent);
          underWay.enter();
          writer.append(List.of(event));
          unstored += authJdbcTemplate.queryForObject(
              "select count(*) from custodian_audit_event where id = ?::uuid", Integer.class,
              event.getIdElement().getIdPart()) == 1 ? 0 : 1;
        }
        return unstored;
      }));
    }
    pool.shutdown();
    for (Future<Integer> request : unstoredOnReturn) {
      assertThat(request.get()).as("events not stored when their append returned").isZero();
    }
    assertThat(authJdbcTemplate.queryForObject(
        "select count(*) from custodian_audit_event where agents && ?::text[]", Integer.class,
        (Object) new String[] {agent})).isEqualTo(requests * 20);
    writer.close();
    assertThatThrownBy(() -> writer.append(List.of(event(agent)))).hasMessageContaining("stopped");
  }

  /** A failed commit fails the request (no response without its record), and the next one goes through. */
  @Test
  void aFailedCommitFailsItsRequestAndTheWriterGoesOn() {
    GroupCommitWriter writer = new GroupCommitWriter(newNode(), new RequestsBeforeAudit(), Duration.ofSeconds(30), Duration.ZERO);
    AuditEvent event = event("Practitioner/failing-" + UUID.randomUUID());
    writer.append(List.of(event));
    AuditEvent again = event.copy();
    again.setId(event.getIdElement().getIdPart());
    assertThatThrownBy(() -> writer.append(List.of(again)))
        .hasMessageContaining("could not be written");
    long last = lastSequence();
    writer.append(List.of(event("Practitioner/after-" + UUID.randomUUID())));
    assertThat(lastSequence()).isEqualTo(last + 1);
  }

  /**
   * A request whose events are still queued when its time is up fails, and its events are not
   * written later behind its back; the request committing meanwhile is unaffected.
   */
  @Test
  void aRequestThatWaitsTooLongFailsAndItsEventIsNotWritten() throws Exception {
    java.util.concurrent.CountDownLatch committing = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    AuditEventStore slow = firstCommitWaits(committing, release, new ArrayList<>());
    GroupCommitWriter writer = new GroupCommitWriter(slow, new RequestsBeforeAudit(), Duration.ofMillis(300), Duration.ZERO);
    AuditEvent first = event("Practitioner/slow-" + UUID.randomUUID());
    ExecutorService pool = Executors.newSingleThreadExecutor();
    Future<?> committed = pool.submit(() -> writer.append(List.of(first)));
    committing.await();
    AuditEvent late = event("Practitioner/late-" + UUID.randomUUID());
    assertThatThrownBy(() -> writer.append(List.of(late))).hasMessageContaining("not written within");
    release.countDown();
    committed.get();
    pool.shutdown();
    AuditEvent after = event("Practitioner/after-" + UUID.randomUUID());
    writer.append(List.of(after));
    assertThat(authJdbcTemplate.queryForList("select id::text from custodian_audit_event where id in (?::uuid, ?::uuid, ?::uuid)",
        String.class, first.getIdElement().getIdPart(), late.getIdElement().getIdPart(), after.getIdElement().getIdPart()))
        .containsExactlyInAnyOrder(first.getIdElement().getIdPart(), after.getIdElement().getIdPart());
  }

  /**
   * Group commit: requests that arrive while a commit is under way wait, and the next commit takes
   * all of their events at once, in one statement, instead of one commit each.
   */
  @Test
  void requestsThatArriveDuringACommitShareTheNextOne() throws Exception {
    java.util.concurrent.CountDownLatch committing = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    List<Integer> commits = java.util.Collections.synchronizedList(new ArrayList<>());
    AuditEventStore counting = firstCommitWaits(committing, release, commits);
    GroupCommitWriter writer = new GroupCommitWriter(counting, new RequestsBeforeAudit(), Duration.ofSeconds(30), Duration.ZERO);
    String agent = "Practitioner/grouped-" + UUID.randomUUID();
    ExecutorService first = Executors.newSingleThreadExecutor();
    Future<?> firstCommit = first.submit(() -> writer.append(List.of(event(agent))));
    committing.await();

    List<Thread> waiting = new ArrayList<>();
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < 5; i++) {
      Thread request = new Thread(() -> writer.append(List.of(event(agent))));
      request.setUncaughtExceptionHandler((thread, failure) -> failures.add(failure));
      request.start();
      waiting.add(request);
    }
    // every one of them queued its event and waits (parked with a timeout) behind the blocked commit
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!waiting.stream().allMatch(t -> t.getState() == Thread.State.TIMED_WAITING)) {
      assertThat(System.nanoTime()).as("the five requests wait behind the commit").isLessThan(deadline);
      Thread.sleep(10);
    }
    release.countDown();
    firstCommit.get();
    first.shutdown();
    for (Thread request : waiting) {
      request.join(20_000);
    }
    assertThat(failures).isEmpty();
    assertThat(commits).as("events per commit").containsExactly(1, 5);
    assertThat(authJdbcTemplate.queryForObject("select count(*) from custodian_audit_event where agents && ?::text[]",
        Integer.class, (Object) new String[] {agent})).isEqualTo(6);
  }

  /**
   * Under load, the request that commits waits for requests still on their way to the audit trail
   * (counted from their first moment in the server), so that one commit takes their events too, and
   * stops waiting as soon as the last of them has queued, long before the commit delay is up.
   */
  @Test
  void aCommitWaitsForRequestsOnTheirWayAndNotLonger() throws Exception {
    List<Integer> commits = java.util.Collections.synchronizedList(new ArrayList<>());
    RequestsBeforeAudit underWay = new RequestsBeforeAudit();
    GroupCommitWriter writer = new GroupCommitWriter(firstCommitWaits(new java.util.concurrent.CountDownLatch(1),
        new java.util.concurrent.CountDownLatch(0), commits), underWay, Duration.ofSeconds(60), Duration.ofSeconds(20));
    String agent = "Practitioner/on-their-way-" + UUID.randomUUID();
    writer.append(List.of(event(agent))); // appends a moment apart from now on: under load

    java.util.concurrent.CountDownLatch onItsWay = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch arrive = new java.util.concurrent.CountDownLatch(1);
    ExecutorService requests = Executors.newFixedThreadPool(2);
    try {
      Future<?> later = requests.submit(() -> {
        underWay.enter(); // taken by the server, still checking its token, say
        onItsWay.countDown();
        arrive.await();
        writer.append(List.of(event(agent)));
        return null;
      });
      onItsWay.await();
      Future<?> committing = requests.submit(() -> {
        underWay.enter();
        writer.append(List.of(event(agent)));
        return null;
      });
      Thread.sleep(500);
      assertThat(committing).as("waits for the request on its way").isNotDone();
      long arrived = System.nanoTime();
      arrive.countDown();
      committing.get(10, java.util.concurrent.TimeUnit.SECONDS);
      later.get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(Duration.ofNanos(System.nanoTime() - arrived)).as("not the 20 s commit delay")
          .isLessThan(Duration.ofSeconds(5));
    } finally {
      requests.shutdownNow();
    }
    assertThat(commits).as("events per commit").containsExactly(1, 2);
    assertThat(underWay.count()).isZero();

    // nobody on the way: a request under load commits at once
    long start = System.nanoTime();
    underWay.enter();
    writer.append(List.of(event(agent)));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(commits).containsExactly(1, 2, 1);
  }

  /** Every request the server took has left the count once answered: a request counted forever would make each commit wait. */
  @Test
  void answeredRequestsAreNoLongerCounted() throws Exception {
    RequestsBeforeAudit underWay = context.getBean(RequestsBeforeAudit.class);
    as("dr.chen", "user/*.rs").get("ImagingStudy?patient=alice");
    as("dr.chen", "user/*.rs").get("Patient/nobody-" + UUID.randomUUID()); // refused or missing: audited too
    new dev.custodian.server.support.FhirHttp(PORT, fhirContext).get("metadata"); // not audited at all
    new dev.custodian.server.support.FhirHttp(PORT, fhirContext).get("Patient/alice"); // no token
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (underWay.count() != 0 && System.nanoTime() < deadline) {
      Thread.sleep(20); // the last response may be read before its filter has finished
    }
    assertThat(underWay.count()).isZero();
  }

  /**
   * An upload still arriving is not counted as on its way to the audit trail (it may take minutes,
   * and every commit under load would wait its full limit for it), while a small request whose body
   * is still arriving is. All three are dr.chen's and are read by the server as they arrive.
   */
  @Test
  void uploadsAreNotCountedAsOnTheirWay() throws Exception {
    RequestsBeforeAudit underWay = context.getBean(RequestsBeforeAudit.class);
    String token = dev.custodian.server.support.TestClients.accessToken(context, baseUrl(), "dr.chen",
        "openid fhirUser user/*.cruds");
    String stow = "multipart/related; type=\"application/dicom\"; boundary=b0undary";
    try (java.net.Socket upload = new java.net.Socket("localhost", PORT);
        java.net.Socket chunked = new java.net.Socket("localhost", PORT);
        java.net.Socket small = new java.net.Socket("localhost", PORT)) {
      // headers and the first bytes of each body, then nothing more: all three stay in the server
      stall(upload, "/dicomweb/studies", token, stow, "Content-Length: " + (10 * 1024 * 1024), "--b0undary\r\n");
      stall(chunked, "/dicomweb/studies", token, stow, "Transfer-Encoding: chunked", "c\r\n--b0undary\r\n\r\n");
      stall(small, "/fhir/Binary", token, "application/octet-stream", "Content-Length: 100", "0123456789");
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (underWay.count() < 1 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      Thread.sleep(500); // time for the uploads to be counted, were they
      assertThat(underWay.count()).as("only the small request is counted").isEqualTo(1);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (underWay.count() != 0 && System.nanoTime() < deadline) {
      Thread.sleep(20); // the aborted requests end
    }
    assertThat(underWay.count()).isZero();
  }

  /** Sends a POST's headers and the first bytes of its body, and no more. */
  private static void stall(java.net.Socket socket, String path, String token, String type, String length,
      String firstBytes) throws java.io.IOException {
    socket.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
        + "\r\nContent-Type: " + type + "\r\n" + length + "\r\n\r\n" + firstBytes)
        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
  }

  /**
   * A store whose first commit signals {@code committing} and then waits for {@code release}; it
   * notes the number of events of every commit in {@code commits}.
   */
  private AuditEventStore firstCommitWaits(java.util.concurrent.CountDownLatch committing,
      java.util.concurrent.CountDownLatch release, List<Integer> commits) {
    return new AuditEventStore(new JdbcTemplate(authJdbcTemplate.getDataSource()),
        new TransactionTemplate(new DataSourceTransactionManager(authJdbcTemplate.getDataSource())), fhirContext) {
      @Override
      public synchronized List<dev.custodian.audit.chain.ChainLink> appendPrepared(List<Prepared> events) {
        commits.add(events.size());
        if (committing.getCount() > 0) {
          committing.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        return super.appendPrepared(events);
      }
    };
  }

  private AuditEventStore newNode() {
    return new AuditEventStore(new JdbcTemplate(authJdbcTemplate.getDataSource()),
        new TransactionTemplate(new DataSourceTransactionManager(authJdbcTemplate.getDataSource())), fhirContext);
  }

  private long lastSequence() {
    Long last = authJdbcTemplate.queryForObject("select max(sequence) from custodian_audit_event", Long.class);
    return last == null ? 0 : last;
  }

  /** A read event of {@code agent}, as the tests of the audit store write them. */
  static AuditEvent event(String agent) {
    AuditEvent event = new AuditEvent();
    event.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"));
    event.setAction(AuditEvent.AuditEventAction.R);
    event.setRecorded(new Date());
    event.setOutcome(AuditEvent.AuditEventOutcome._0);
    event.addAgent().setWho(new Reference(agent)).setRequestor(true);
    return event;
  }
}
