package dev.custodian.server.audit;

import dev.custodian.audit.AccessRecord;
import dev.custodian.audit.BalpEventBuilder;
import dev.custodian.server.audit.store.AuditEventStore;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;

/**
 * Writes the audit trail: the BALP AuditEvents of one access, linked into the hash chain and
 * appended to the {@link AuditEventStore} in one short transaction. Called before the response is
 * sent: an access whose record cannot be written fails instead of going unrecorded, and a record
 * once committed survives a crash.
 */
public class AuditTrail {

  private final BalpEventBuilder events;
  private final AuditEventStore store;

  public AuditTrail(BalpEventBuilder events, AuditEventStore store) {
    this.events = events;
    this.store = store;
  }

  /** Records one access; returns the events written. */
  public List<AuditEvent> record(AccessRecord access) {
    List<AuditEvent> built = events.build(access);
    store.append(built);
    return built;
  }
}
