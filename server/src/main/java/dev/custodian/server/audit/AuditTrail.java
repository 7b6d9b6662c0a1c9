package dev.custodian.server.audit;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import dev.custodian.audit.AccessRecord;
import dev.custodian.audit.BalpEventBuilder;
import dev.custodian.audit.chain.AuditChain;
import dev.custodian.audit.chain.ChainLink;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.AuditEvent;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes the audit trail: the BALP AuditEvents of one access, each linked into the hash chain,
 * stored as FHIR AuditEvents (so auditors query them with FHIR search) in one database transaction
 * with the chain head. The head row is locked while appending, so every node of a cluster extends
 * the same gapless chain. Called before the response is sent: an access whose record cannot be
 * written fails instead of going unrecorded.
 */
public class AuditTrail {

  private final BalpEventBuilder events;
  private final IFhirResourceDao<AuditEvent> auditEvents;
  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;

  public AuditTrail(
      BalpEventBuilder events, DaoRegistry daos, JdbcTemplate jdbc, TransactionTemplate transactions) {
    this.events = events;
    this.auditEvents = daos.getResourceDao(AuditEvent.class);
    this.jdbc = jdbc;
    this.transactions = transactions;
  }

  /** Records one access; returns the events written. */
  public List<AuditEvent> record(AccessRecord access) {
    List<AuditEvent> built = events.build(access);
    transactions.executeWithoutResult(status -> append(built));
    return built;
  }

  private void append(List<AuditEvent> built) {
    Map<String, Object> head =
        jdbc.queryForMap("select last_sequence, last_hash from custodian_audit_chain_head where id = 1 for update");
    long sequence = ((Number) head.get("last_sequence")).longValue();
    String hash = (String) head.get("last_hash");
    SystemRequestDetails system = new SystemRequestDetails();
    for (AuditEvent event : built) {
      ChainLink link = AuditChain.link(event, sequence + 1, hash);
      auditEvents.create(event, system);
      sequence = link.sequence();
      hash = link.hash();
    }
    jdbc.update(
        "update custodian_audit_chain_head set last_sequence = ?, last_hash = ? where id = 1", sequence, hash);
  }
}
