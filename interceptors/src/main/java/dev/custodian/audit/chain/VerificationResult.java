package dev.custodian.audit.chain;

/**
 * What {@link ChainVerifier} found.
 *
 * @param valid whether the chain and all checkpoints are intact
 * @param eventsVerified how many events were verified before the first problem (all of them when valid)
 * @param checkpointsVerified how many checkpoints matched before the first problem
 * @param lastSequence the sequence of the last intact event (0 when none)
 * @param lastHash the hash of the last intact event
 * @param problem what is wrong, null when valid
 * @param brokenAt the sequence number of the first broken link, null when valid
 * @param message a sentence naming the broken link, null when valid
 */
public record VerificationResult(
    boolean valid,
    long eventsVerified,
    int checkpointsVerified,
    long lastSequence,
    String lastHash,
    Problem problem,
    Long brokenAt,
    String message) {

  /** The kinds of broken link. */
  public enum Problem {
    /** An event has no (well-formed) chain extension. */
    MISSING_LINK,
    /** An event's sequence number is missing: the event was deleted (or the chain was cut). */
    GAP,
    /** An event appears before one with a lower sequence number: events were reordered. */
    REORDERED,
    /** A sequence number appears twice, or lower than one already seen. */
    DUPLICATE_OR_OUT_OF_ORDER,
    /** An event's previous hash is not its predecessor's hash: an event before it was rewritten. */
    PREVIOUS_HASH_MISMATCH,
    /** An event's content does not give its stored hash: the event was changed or its hash forged. */
    HASH_MISMATCH,
    /** A checkpoint's signature does not verify with the server's key (or its key is unknown). */
    CHECKPOINT_SIGNATURE_INVALID,
    /** A validly signed checkpoint names another hash for a sequence: the chain was rewritten. */
    CHECKPOINT_MISMATCH,
    /** A validly signed checkpoint names a sequence after the last event: events were removed at the end. */
    TRUNCATED
  }

  static VerificationResult ok(long events, int checkpoints, long lastSequence, String lastHash) {
    return new VerificationResult(true, events, checkpoints, lastSequence, lastHash, null, null, null);
  }

  static VerificationResult broken(
      long events, int checkpoints, long lastSequence, String lastHash, Problem problem, long at, String message) {
    return new VerificationResult(false, events, checkpoints, lastSequence, lastHash, problem, at, message);
  }
}
