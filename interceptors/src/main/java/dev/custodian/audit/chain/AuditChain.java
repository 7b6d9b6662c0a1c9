package dev.custodian.audit.chain;

import static dev.custodian.audit.AuditCodes.EXT_AUDIT_CHAIN;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.StringType;

/**
 * The audit hash chain: links events by {@link ChainLink} and stores the link on the event as the
 * extension {@value dev.custodian.audit.AuditCodes#EXT_AUDIT_CHAIN} with sub-extensions
 * {@code sequence} (valueString, decimal digits: R4 has no 64-bit integer type), {@code previousHash}
 * and {@code hash} (valueString, 64 lower-case hex digits).
 *
 * <p>The static methods are what a multi-node server uses: it reads the chain head (last sequence and
 * hash) from its database, calls {@link #link(AuditEvent, long, String)} for the next sequence, and
 * stores the event only if that sequence is still free. An instance keeps the head in memory: for
 * one writer and for tests.
 */
public final class AuditChain {

  /** The "previous hash" of the first event: 32 zero bytes. */
  public static final String GENESIS_HASH = "0".repeat(64);

  private static final HexFormat HEX = HexFormat.of();

  private long lastSequence;
  private String lastHash;

  /** An empty chain. */
  public AuditChain() {
    this(0, GENESIS_HASH);
  }

  /** A chain continuing after the event {@code lastSequence} whose hash is {@code lastHash}. */
  public AuditChain(long lastSequence, String lastHash) {
    if (lastSequence < 0) {
      throw new IllegalArgumentException("lastSequence must not be negative");
    }
    this.lastSequence = lastSequence;
    this.lastHash = ChainLink.requireHash(lastHash, "lastHash");
  }

  /** Gives {@code event} the next sequence number, hashes it and stores the link on it. */
  public synchronized ChainLink append(AuditEvent event) {
    ChainLink link = link(event, lastSequence + 1, lastHash);
    lastSequence = link.sequence();
    lastHash = link.hash();
    return link;
  }

  /** The last sequence number given (0 for an empty chain). */
  public synchronized long lastSequence() {
    return lastSequence;
  }

  /** The hash of the last event ({@link #GENESIS_HASH} for an empty chain). */
  public synchronized String lastHash() {
    return lastHash;
  }

  /**
   * Computes the link of {@code event} at {@code sequence} after {@code previousHash} and stores it on
   * the event (replacing an earlier chain extension).
   */
  public static ChainLink link(AuditEvent event, long sequence, String previousHash) {
    ChainLink link = new ChainLink(sequence, previousHash, hash(sequence, previousHash, event));
    attach(event, link);
    return link;
  }

  /**
   * The link at {@code sequence} after {@code previousHash} of the event whose
   * {@linkplain CanonicalForm canonical bytes} are given (for a store that encodes each event once).
   */
  public static ChainLink link(byte[] canonical, long sequence, String previousHash) {
    return new ChainLink(sequence, previousHash, hash(sequence, previousHash, canonical));
  }

  /** Stores {@code link} on {@code event} as the chain extension, replacing an earlier one; no hashing. */
  public static void attach(AuditEvent event, ChainLink link) {
    event.getExtension().removeIf(e -> EXT_AUDIT_CHAIN.equals(e.getUrl()));
    Extension extension = event.addExtension().setUrl(EXT_AUDIT_CHAIN);
    extension.addExtension("sequence", new StringType(Long.toString(link.sequence())));
    extension.addExtension("previousHash", new StringType(link.previousHash()));
    extension.addExtension("hash", new StringType(link.hash()));
  }

  /** SHA-256(previousHash bytes || sequence, 8 bytes big-endian || canonical bytes), in hex. */
  public static String hash(long sequence, String previousHash, AuditEvent event) {
    return hash(sequence, previousHash, CanonicalForm.of(event));
  }

  private static String hash(long sequence, String previousHash, byte[] canonical) {
    MessageDigest digest = sha256();
    digest.update(HEX.parseHex(ChainLink.requireHash(previousHash, "previousHash")));
    digest.update(ByteBuffer.allocate(Long.BYTES).putLong(sequence).array());
    digest.update(canonical);
    return HEX.formatHex(digest.digest());
  }

  /**
   * The link stored on {@code event}, or empty when it has none or it is malformed (not exactly one
   * chain extension, a sub-extension missing, repeated or not in the documented form).
   */
  public static Optional<ChainLink> linkOf(AuditEvent event) {
    var extensions = event.getExtensionsByUrl(EXT_AUDIT_CHAIN);
    if (extensions.size() != 1) {
      return Optional.empty();
    }
    Extension chain = extensions.get(0);
    String sequence = single(chain, "sequence");
    String previous = single(chain, "previousHash");
    String hash = single(chain, "hash");
    if (sequence == null || previous == null || hash == null || !sequence.matches("[1-9][0-9]{0,18}")) {
      return Optional.empty();
    }
    try {
      return Optional.of(new ChainLink(Long.parseLong(sequence), previous, hash));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String single(Extension chain, String url) {
    var values = chain.getExtensionsByUrl(url);
    if (values.size() != 1 || !(values.get(0).getValue() instanceof StringType value)) {
      return null;
    }
    return value.getValue();
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-256", e);
    }
  }
}
