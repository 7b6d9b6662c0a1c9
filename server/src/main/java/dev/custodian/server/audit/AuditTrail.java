package dev.custodian.server.audit;

import dev.custodian.audit.AccessRecord;
import dev.custodian.audit.BalpEventBuilder;
import dev.custodian.server.audit.store.GroupCommitWriter;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;

/**
 * Writes the audit trail: the BALP AuditEvents of one access, linked into the hash chain and
 * appended to the audit store (with the events of concurrent requests, by group commit). Called before the response is
 * sent: an access whose record cannot be written fails instead of going unrecorded, and a record
 * once committed survives a crash.
 */
public class AuditTrail {

  private final BalpEventBuilder events;
  private final GroupCommitWriter writer;

  public AuditTrail(BalpEventBuilder events, GroupCommitWriter writer) {
    this.events = events;
    this.writer = writer;
  }

  /** Records one access; returns the events written. */
  public List<AuditEvent> record(AccessRecord access) {
    List<AuditEvent> built = events.build(access);
    writer.append(built);
    return built;
  }
}
