package dev.custodian.server.audit.store;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import dev.custodian.audit.chain.AuditChain;
import dev.custodian.audit.chain.CanonicalForm;
import dev.custodian.audit.chain.ChainLink;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.InstantType;
import org.postgresql.util.PSQLException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit trail's store: an append-only table of AuditEvents ({@code custodian_audit_event}) in
 * the hash chain, with their search terms beside them.
 *
 * <p>Why not HAPI's JPA storage for AuditEvent: indexing a FHIR resource costs several times the
 * request it records, and audit records are written on every request. One row insert with
 * precomputed terms keeps auditing cheap, is committed (with the events of concurrent requests, see
 * {@link GroupCommitWriter}) before the response leaves, and lets auditors page through millions of
 * events by sequence.
 */
public class AuditEventStore {

  private static final String COLUMNS = "sequence, id, previous_hash, hash, event, event_deflated";
  private static final String INSERT = "insert into custodian_audit_event (sequence, id, recorded, previous_hash,"
      + " hash, event_deflated, patients, agents, entities, types, subtypes, actions, outcomes, purposes)";
  /** One row of {@link #INSERT}'s values, as {@link #bind} binds it. */
  private static final String ROW =
      "(?::bigint, ?::uuid, ?::timestamptz, ?, ?, ?::bytea, ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],"
          + " ?::text[], ?::text[], ?::text[])";
  private static final int ROW_PARAMETERS = 14;

  /** The primary key on the sequence: a violation means another writer took that sequence number. */
  private static final String SEQUENCE_KEY = "custodian_audit_event_pkey";
  /** How often an append is tried again behind a chain that other writers keep extending. */
  static final int MAX_ATTEMPTS = 100;

  /** The chain head: the last event's sequence and hash. */
  private record Head(long sequence, String hash) {}

  private final JdbcTemplate jdbc;
  private final JdbcTemplate streaming;
  private final TransactionTemplate transactions;
  private final FhirContext fhirContext;
  /** The head this store last wrote, or null when unknown (at start, after a failure). */
  private Head knownHead;

  public AuditEventStore(JdbcTemplate jdbc, TransactionTemplate transactions, FhirContext fhirContext) {
    this.jdbc = jdbc;
    this.streaming = new JdbcTemplate(jdbc.getDataSource());
    this.streaming.setFetchSize(500);
    this.transactions = transactions;
    this.fhirContext = fhirContext;
    ZstdJson.requireWorking(); // at start, not on the first audited request
  }

  /**
   * An event ready to append: its id assigned, its canonical JSON (what is hashed) and that JSON
   * compressed (what is stored, see {@link ZstdJson}), its search terms computed — the costly
   * part, done by the requesting thread, not by the writer.
   */
  public record Prepared(AuditEvent event, UUID id, byte[] canonical, byte[] compressed, AuditSearchTerms terms) {}

  /** Prepares {@code event} for {@link #appendPrepared}. */
  public static Prepared prepare(AuditEvent event) {
    if (!event.hasId()) {
      event.setId(TimeOrderedIds.next().toString());
    }
    byte[] canonical = CanonicalForm.of(event);
    return new Prepared(event, UUID.fromString(event.getIdElement().getIdPart()), canonical,
        ZstdJson.compress(canonical), AuditSearchTerms.of(event));
  }

  /**
   * Appends {@code events} to the chain, in order, in one statement: each gets an id, its sequence
   * and hash (stored on the event). Every node of a cluster extends the same gapless chain: the
   * sequence is the primary key, and an event is only written right after the chain's last one.
   */
  public List<ChainLink> append(List<AuditEvent> events) {
    return appendPrepared(events.stream().map(AuditEventStore::prepare).toList());
  }

  /**
   * {@link #append} of prepared events.
   *
   * <p>Usually one statement, in one round trip: the events are linked behind the last event this
   * store wrote and inserted only if nothing follows it yet. When another node (or a test) has
   * extended the chain since, nothing is written; the events are linked again behind the chain's
   * current last event and tried again. Two nodes that race for the same sequence numbers cannot
   * both win: the sequence is the primary key, and the loser's statement fails as a whole and is
   * retried. (An earlier version kept the head in a row of its own, updated on every append; that
   * update cost PostgreSQL about a sixth of each append, and the primary key already guarantees what
   * it guarded.)
   */
  public synchronized List<ChainLink> appendPrepared(List<Prepared> events) {
    if (events.isEmpty()) {
      return List.of();
    }
    Head head = knownHead;
    knownHead = null; // unknown until a write succeeds
    for (int attempt = 1; ; attempt++) {
      if (head == null) {
        head = lastEvent();
      }
      List<ChainLink> links = links(events, head);
      if (insertAfter(head, events, links)) {
        return attached(events, links);
      }
      if (attempt == MAX_ATTEMPTS) {
        throw new IllegalStateException("could not append to the audit chain: other writers extended it "
            + MAX_ATTEMPTS + " times in a row");
      }
      head = null;
    }
  }

  /** The chain's last event, or the genesis head of an empty chain. */
  private Head lastEvent() {
    return jdbc.query("select sequence, hash from custodian_audit_event order by sequence desc limit 1",
            (row, index) -> new Head(row.getLong("sequence"), row.getString("hash")))
        .stream().findFirst().orElse(new Head(0, AuditChain.GENESIS_HASH));
  }

  private static List<ChainLink> links(List<Prepared> events, Head head) {
    List<ChainLink> links = new ArrayList<>(events.size());
    long sequence = head.sequence();
    String hash = head.hash();
    for (Prepared event : events) {
      ChainLink link = AuditChain.link(event.canonical(), sequence + 1, hash);
      links.add(link);
      sequence = link.sequence();
      hash = link.hash();
    }
    return links;
  }

  private List<ChainLink> attached(List<Prepared> events, List<ChainLink> links) {
    for (int i = 0; i < events.size(); i++) {
      AuditChain.attach(events.get(i).event(), links.get(i));
    }
    ChainLink last = links.get(links.size() - 1);
    knownHead = new Head(last.sequence(), last.hash());
    return links;
  }

  /**
   * Inserts the events if {@code head} is still the chain's last event; false when another writer
   * got there first (seen before the insert, or as a taken sequence number when both raced).
   */
  private boolean insertAfter(Head head, List<Prepared> events, List<ChainLink> links) {
    StringBuilder sql = new StringBuilder(INSERT).append(" select v.* from (values ");
    for (int i = 0; i < events.size(); i++) {
      sql.append(i == 0 ? "" : ", ").append(ROW);
    }
    // "the sequence after the head is free", and not "no sequence above the head", which means the
    // same in a gapless chain: an equality on the primary key is an index probe in every plan, while
    // PostgreSQL's generic plan for "sequence > ?" (the one a prepared statement settles on) may scan
    // the whole table, which no row matches, on every append
    sql.append(") as v where not exists (select 1 from custodian_audit_event where sequence = ?)");
    try {
      int inserted = jdbc.update(sql.toString(), statement -> {
        for (int i = 0; i < events.size(); i++) {
          bind(statement, 1 + i * ROW_PARAMETERS, events.get(i), links.get(i));
        }
        statement.setLong(1 + events.size() * ROW_PARAMETERS, head.sequence() + 1);
      });
      return inserted == events.size();
    } catch (DuplicateKeyException raced) {
      if (!violates(raced, SEQUENCE_KEY)) {
        throw raced; // not a lost race: an event id stored twice
      }
      return false;
    }
  }

  /** Whether {@code e} is a violation of the constraint {@code name}, as PostgreSQL names it. */
  private static boolean violates(DuplicateKeyException e, String name) {
    return e.getMostSpecificCause() instanceof PSQLException psql && psql.getServerErrorMessage() != null
        && name.equals(psql.getServerErrorMessage().getConstraint());
  }

  /** The event with this id, as stored. */
  public Optional<AuditEvent> read(String id) {
    UUID uuid;
    try {
      uuid = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return jdbc.query("select " + COLUMNS + ", recorded from custodian_audit_event where id = ?", eventMapper(), uuid)
        .stream().findFirst();
  }

  /**
   * One page of {@code query}'s matches: at most {@code limit} events after the event
   * {@code afterSequence} in the query's order (null = from the start).
   */
  public List<AuditEvent> search(AuditQuery query, Long afterSequence, int limit) {
    AuditSql sql = AuditSql.of(query, afterSequence, limit);
    return jdbc.query(sql.text(), eventMapper(), sql.arguments().toArray());
  }

  /** How many events {@code query} matches. */
  public int count(AuditQuery query) {
    AuditSql sql = AuditSql.count(query);
    Integer count = jdbc.queryForObject(sql.text(), Integer.class, sql.arguments().toArray());
    return count == null ? 0 : count;
  }

  /** Every stored event in sequence order, streamed (not held in memory). */
  public void forEachInSequence(Consumer<AuditEvent> consumer) {
    inSequence(events -> {
      events.forEach(consumer);
      return null;
    });
  }

  /**
   * Hands {@code reader} every stored event in sequence order as a stream read from a database cursor
   * (500 rows at a time), within one transaction; returns what the reader returns.
   */
  public <T> T inSequence(Function<Stream<AuditEvent>, T> reader) {
    return transactions.execute(status -> {
      try (Stream<AuditEvent> events = streaming.queryForStream(
          "select " + COLUMNS + ", recorded from custodian_audit_event order by sequence", eventMapper())) {
        return reader.apply(events);
      }
    });
  }

  /** Binds one row of {@link #ROW} from parameter {@code first} on. */
  private static void bind(PreparedStatement statement, int first, Prepared prepared, ChainLink link)
      throws SQLException {
    AuditEvent event = prepared.event();
    AuditSearchTerms terms = prepared.terms();
    int i = first;
    statement.setLong(i++, link.sequence());
    statement.setObject(i++, prepared.id());
    Instant recorded = event.hasRecorded() ? event.getRecorded().toInstant() : Instant.now();
    statement.setTimestamp(i++, Timestamp.from(recorded));
    statement.setString(i++, link.previousHash());
    statement.setString(i++, link.hash());
    // the canonical JSON, compressed: no id, no store metadata, no chain link — those live in their columns
    statement.setBytes(i++, prepared.compressed());
    for (List<String> values : List.of(terms.patients(), terms.agents(), terms.entities(), terms.types(),
        terms.subtypes(), terms.actions(), terms.outcomes(), terms.purposes())) {
      // a String[] goes to PostgreSQL in the binary array format; createArrayOf would build and
      // quote an array literal in Java for PostgreSQL to parse back, eight times per event
      statement.setObject(i++, values.toArray(String[]::new));
    }
  }

  private RowMapper<AuditEvent> eventMapper() {
    return (row, index) -> {
      AuditEvent event = storedEvent(row);
      event.setId(row.getObject("id", UUID.class).toString());
      AuditChain.attach(event, new ChainLink(row.getLong("sequence"), row.getString("previous_hash"), row.getString("hash")));
      event.getMeta().setVersionId("1");
      event.getMeta().setLastUpdatedElement(new InstantType(new java.util.Date(row.getTimestamp("recorded").getTime())));
      return event;
    };
  }

  /**
   * The row's event; when its stored content cannot be read (changed in the database: no zstd frame
   * or zlib stream, no AuditEvent JSON), an event that says so and holds nothing else. Its content then does
   * not give the row's hash, so verification names this sequence as changed, and auditors see the
   * row flagged instead of losing the whole page to an error.
   */
  private AuditEvent storedEvent(java.sql.ResultSet row) throws SQLException {
    try {
      return parser().parseResource(AuditEvent.class, json(row));
    } catch (IllegalArgumentException | ca.uhn.fhir.parser.DataFormatException e) {
      AuditEvent unreadable = new AuditEvent();
      unreadable.setOutcomeDesc("The stored content of audit event " + row.getLong("sequence") + " cannot be read: "
          + e.getMessage());
      return unreadable;
    }
  }

  /**
   * The stored JSON of the row: a zstd frame (events since V23), a zlib stream (V21 to V22), or text
   * (events written before); IllegalArgumentException when the compressed form is neither.
   */
  private static String json(java.sql.ResultSet row) throws SQLException {
    byte[] compressed = row.getBytes("event_deflated");
    if (compressed == null) {
      return row.getString("event");
    }
    return ZstdJson.isFrame(compressed) ? ZstdJson.decompress(compressed) : DeflatedJson.inflate(compressed);
  }

  private IParser parser() {
    IParser parser = fhirContext.newJsonParser();
    parser.setPrettyPrint(false);
    parser.setStripVersionsFromReferences(false);
    return parser;
  }
}
