package dev.custodian.audit.chain;

import java.util.regex.Pattern;

/**
 * An event's place in the audit hash chain: {@code hash = SHA-256(previousHash || sequence ||
 * canonical bytes)}, where {@code previousHash} is the 32 raw bytes of the previous event's hash
 * (32 zero bytes before the first event), {@code sequence} 8 bytes big-endian, and the canonical
 * bytes those of {@link CanonicalForm}. Hashes are written as 64 lower-case hex digits.
 *
 * @param sequence 1 for the first event, then without gaps
 * @param previousHash the hash of event {@code sequence - 1} ({@link AuditChain#GENESIS_HASH} for 1)
 * @param hash this event's hash
 */
public record ChainLink(long sequence, String previousHash, String hash) {

  private static final Pattern HEX_256 = Pattern.compile("[0-9a-f]{64}");

  public ChainLink {
    if (sequence < 1) {
      throw new IllegalArgumentException("sequence starts at 1, not " + sequence);
    }
    requireHash(previousHash, "previousHash");
    requireHash(hash, "hash");
  }

  static String requireHash(String value, String what) {
    if (value == null || !HEX_256.matcher(value).matches()) {
      throw new IllegalArgumentException(what + " must be 64 lower-case hex digits, not: " + value);
    }
    return value;
  }
}
