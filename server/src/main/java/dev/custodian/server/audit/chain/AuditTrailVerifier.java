package dev.custodian.server.audit.chain;

import dev.custodian.audit.chain.ChainVerifier;
import dev.custodian.audit.chain.VerificationResult;
import dev.custodian.server.audit.store.AuditEventStore;
import java.security.PublicKey;
import java.util.Map;

/**
 * Verifies the whole stored audit trail — every event's hash and link, in sequence order, streamed
 * from the store — against the signed checkpoints, and names the first broken link.
 */
public class AuditTrailVerifier {

  private final AuditEventStore events;
  private final AuditCheckpoints checkpoints;
  private final Map<String, PublicKey> checkpointKeys;

  public AuditTrailVerifier(AuditEventStore events, AuditCheckpoints checkpoints, Map<String, PublicKey> checkpointKeys) {
    this.events = events;
    this.checkpoints = checkpoints;
    this.checkpointKeys = Map.copyOf(checkpointKeys);
  }

  public VerificationResult verify() {
    ChainVerifier verifier = new ChainVerifier(checkpointKeys::get);
    var signed = checkpoints.all();
    return events.inSequence(stream -> verifier.verify(stream::iterator, signed));
  }
}
