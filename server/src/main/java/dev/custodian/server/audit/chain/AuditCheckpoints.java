package dev.custodian.server.audit.chain;

import dev.custodian.audit.chain.ChainLink;
import dev.custodian.audit.chain.Checkpoint;
import dev.custodian.audit.chain.Checkpointer;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Signs and keeps checkpoints of the audit chain ({@code custodian_audit_checkpoint}). Each call of
 * {@link #signHead()} signs the current chain head if it moved since the last checkpoint; two nodes
 * signing the same head store it once.
 */
public class AuditCheckpoints {

  private final JdbcTemplate jdbc;
  private final Checkpointer checkpointer;

  public AuditCheckpoints(JdbcTemplate jdbc, Checkpointer checkpointer) {
    this.jdbc = jdbc;
    this.checkpointer = checkpointer;
  }

  /** Signs the chain head if events were appended since the last checkpoint; returns the new one. */
  public Optional<Checkpoint> signHead() {
    Optional<ChainLink> head = jdbc.query(
        "select sequence, previous_hash, hash from custodian_audit_event order by sequence desc limit 1",
        (row, index) -> new ChainLink(row.getLong("sequence"), row.getString("previous_hash"), row.getString("hash")))
        .stream().findFirst();
    Long lastSigned = jdbc.queryForObject("select max(sequence) from custodian_audit_checkpoint", Long.class);
    if (head.isEmpty() || (lastSigned != null && lastSigned >= head.get().sequence())) {
      return Optional.empty();
    }
    Checkpoint checkpoint = checkpointer.now(head.get());
    jdbc.update(
        "insert into custodian_audit_checkpoint (sequence, hash, signed_at, key_id, algorithm, signature)"
            + " values (?, ?, ?, ?, ?, ?) on conflict do nothing",
        checkpoint.sequence(), checkpoint.hash(), Timestamp.from(checkpoint.time()), checkpoint.keyId(),
        checkpoint.algorithm(), checkpoint.signature());
    return Optional.of(checkpoint);
  }

  /** Every checkpoint, in sequence order. */
  public List<Checkpoint> all() {
    return jdbc.query(
        "select sequence, hash, signed_at, key_id, algorithm, signature from custodian_audit_checkpoint order by sequence",
        (row, index) -> new Checkpoint(row.getLong("sequence"), row.getString("hash"),
            row.getTimestamp("signed_at").toInstant(), row.getString("key_id"), row.getString("algorithm"),
            row.getString("signature")));
  }
}
