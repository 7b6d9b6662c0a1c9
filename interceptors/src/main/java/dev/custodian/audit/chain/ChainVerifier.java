package dev.custodian.audit.chain;

import dev.custodian.audit.chain.VerificationResult.Problem;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.hl7.fhir.r4.model.AuditEvent;

/**
 * Verifies the audit hash chain and its signed checkpoints, and names the first broken link.
 *
 * <p>Give it the events in the order the store keeps them (ascending sequence). It walks them once,
 * streaming, and checks for each event, in this order:
 *
 * <ol>
 *   <li>it has a chain link ({@link Problem#MISSING_LINK});</li>
 *   <li>its sequence is the next one: a higher one is a {@link Problem#GAP} (deleted events) — or
 *       {@link Problem#REORDERED} when the missing sequence turns up later — and a lower one
 *       {@link Problem#DUPLICATE_OR_OUT_OF_ORDER};</li>
 *   <li>its previous hash is its predecessor's hash ({@link Problem#PREVIOUS_HASH_MISMATCH});</li>
 *   <li>its canonical content gives its hash ({@link Problem#HASH_MISMATCH}: changed, or hash forged);</li>
 *   <li>every checkpoint at its sequence is validly signed ({@link Problem#CHECKPOINT_SIGNATURE_INVALID})
 *       and names its hash ({@link Problem#CHECKPOINT_MISMATCH}: the chain was rewritten and rehashed
 *       up to here).</li>
 * </ol>
 *
 * After the last event, a validly signed checkpoint beyond it means events were cut off at the end
 * ({@link Problem#TRUNCATED}). The first problem ends the walk.
 */
public final class ChainVerifier {

  private final Function<String, PublicKey> keys;

  /** A verifier that finds each checkpoint's public key by its key id (null = unknown key). */
  public ChainVerifier(Function<String, PublicKey> keys) {
    this.keys = Objects.requireNonNull(keys, "keys");
  }

  /** A verifier with one public key for every checkpoint. */
  public static ChainVerifier withKey(PublicKey key) {
    Objects.requireNonNull(key, "key");
    return new ChainVerifier(keyId -> key);
  }

  /** Verifies the whole chain, from its first event. */
  public VerificationResult verify(Iterable<AuditEvent> events, Collection<Checkpoint> checkpoints) {
    return verify(events, checkpoints, 0, AuditChain.GENESIS_HASH);
  }

  /**
   * Verifies the events after a trusted point: event {@code afterSequence} with hash {@code afterHash}
   * (e.g. the last checkpoint verified earlier). Checkpoints at or before it are ignored.
   */
  public VerificationResult verify(
      Iterable<AuditEvent> events, Collection<Checkpoint> checkpoints, long afterSequence, String afterHash) {
    TreeMap<Long, List<Checkpoint>> pending = new TreeMap<>();
    for (Checkpoint checkpoint : checkpoints) {
      if (checkpoint.sequence() > afterSequence) {
        pending.computeIfAbsent(checkpoint.sequence(), s -> new ArrayList<>()).add(checkpoint);
      }
    }
    long expected = afterSequence + 1;
    String previousHash = ChainLink.requireHash(afterHash, "afterHash");
    long verified = 0;
    int checkpointsOk = 0;
    Iterator<AuditEvent> it = events.iterator();
    while (it.hasNext()) {
      AuditEvent event = it.next();
      long last = expected - 1;
      Optional<ChainLink> found = AuditChain.linkOf(event);
      if (found.isEmpty()) {
        return VerificationResult.broken(verified, checkpointsOk, last, previousHash, Problem.MISSING_LINK, expected,
            "the event after sequence " + last + (event.hasId() ? " (" + event.getIdElement().getIdPart() + ")" : "")
                + " has no audit-chain link");
      }
      ChainLink link = found.get();
      if (link.sequence() > expected) {
        long missing = expected;
        boolean later = false;
        while (it.hasNext()) {
          Optional<ChainLink> next = AuditChain.linkOf(it.next());
          if (next.isPresent() && next.get().sequence() == missing) {
            later = true;
            break;
          }
        }
        if (later) {
          return VerificationResult.broken(verified, checkpointsOk, last, previousHash, Problem.REORDERED, missing,
              "sequence " + missing + " is stored after sequence " + link.sequence() + ": events were reordered");
        }
        String range = link.sequence() - 1 == missing ? "sequence " + missing
            : "sequences " + missing + " to " + (link.sequence() - 1);
        return VerificationResult.broken(verified, checkpointsOk, last, previousHash, Problem.GAP, missing,
            range + " missing: deleted (found " + link.sequence() + " after " + last + ")");
      }
      if (link.sequence() < expected) {
        return VerificationResult.broken(verified, checkpointsOk, last, previousHash,
            Problem.DUPLICATE_OR_OUT_OF_ORDER, link.sequence(),
            "sequence " + link.sequence() + " appears again after sequence " + last);
      }
      if (!link.previousHash().equals(previousHash)) {
        return VerificationResult.broken(verified, checkpointsOk, last, previousHash,
            Problem.PREVIOUS_HASH_MISMATCH, link.sequence(),
            "sequence " + link.sequence() + " does not follow the hash of sequence " + last
                + ": an event up to " + last + " was rewritten");
      }
      String recomputed = AuditChain.hash(link.sequence(), link.previousHash(), event);
      if (!recomputed.equals(link.hash())) {
        return VerificationResult.broken(verified, checkpointsOk, last, previousHash, Problem.HASH_MISMATCH,
            link.sequence(), "sequence " + link.sequence() + " was changed: its content does not give its hash");
      }
      for (Checkpoint checkpoint : pending.getOrDefault(link.sequence(), List.of())) {
        if (!signatureValid(checkpoint)) {
          return VerificationResult.broken(verified, checkpointsOk, last, previousHash,
              Problem.CHECKPOINT_SIGNATURE_INVALID, checkpoint.sequence(), signatureMessage(checkpoint));
        }
        if (!checkpoint.hash().equals(link.hash())) {
          return VerificationResult.broken(verified, checkpointsOk, last, previousHash, Problem.CHECKPOINT_MISMATCH,
              link.sequence(), "the checkpoint signed at " + checkpoint.time() + " names another hash for sequence "
                  + link.sequence() + ": the chain up to it was rewritten");
        }
        checkpointsOk++;
      }
      pending.remove(link.sequence());
      previousHash = link.hash();
      expected++;
      verified++;
    }
    long last = expected - 1;
    for (Map.Entry<Long, List<Checkpoint>> entry : pending.entrySet()) {
      for (Checkpoint checkpoint : entry.getValue()) {
        if (!signatureValid(checkpoint)) {
          return VerificationResult.broken(verified, checkpointsOk, last, previousHash,
              Problem.CHECKPOINT_SIGNATURE_INVALID, checkpoint.sequence(), signatureMessage(checkpoint));
        }
        return VerificationResult.broken(verified, checkpointsOk, last, previousHash, Problem.TRUNCATED, last + 1,
            "a checkpoint names sequence " + checkpoint.sequence() + " but the chain ends at " + last
                + ": events were removed from the end");
      }
    }
    return VerificationResult.ok(verified, checkpointsOk, last, previousHash);
  }

  private boolean signatureValid(Checkpoint checkpoint) {
    PublicKey key = keys.apply(checkpoint.keyId());
    return key != null && checkpoint.verify(key);
  }

  private String signatureMessage(Checkpoint checkpoint) {
    return "the checkpoint of sequence " + checkpoint.sequence() + " (key " + checkpoint.keyId()
        + ") has no valid signature" + (keys.apply(checkpoint.keyId()) == null ? ": unknown key" : "");
  }
}
