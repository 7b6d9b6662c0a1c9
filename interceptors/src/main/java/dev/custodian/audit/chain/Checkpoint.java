package dev.custodian.audit.chain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Objects;

/**
 * A signed statement "the audit chain's event {@code sequence} has hash {@code hash}", made at
 * {@code time} with the server's key {@code keyId}. Anybody who rewrites the chain up to a checkpoint
 * (recomputing every hash) is caught by it, because they cannot sign.
 *
 * <p>Signed payload (UTF-8): {@code custodian-audit-checkpoint/1\n<sequence>\n<hash>\n<time>\n<keyId>},
 * time as ISO-8601 UTC with milliseconds ({@link Instant#toString()} of a millisecond instant).
 * Algorithms: {@code SHA256withECDSA} for EC keys (ES256 with a P-256 key; DER-encoded signature) and
 * {@code SHA256withRSA} for RSA keys, both from the JDK providers. The signature is base64.
 *
 * @param sequence the event's sequence number
 * @param hash the event's chain hash
 * @param time when the checkpoint was made, truncated to milliseconds
 * @param keyId which server key signed it (the keystore alias), so that keys can be rotated
 * @param algorithm {@code SHA256withECDSA} or {@code SHA256withRSA}
 * @param signature base64 of the signature over {@link #payload()}
 */
public record Checkpoint(long sequence, String hash, Instant time, String keyId, String algorithm, String signature) {

  public static final String EC = "SHA256withECDSA";
  public static final String RSA = "SHA256withRSA";

  public Checkpoint {
    if (sequence < 1) {
      throw new IllegalArgumentException("sequence starts at 1");
    }
    ChainLink.requireHash(hash, "hash");
    Objects.requireNonNull(time, "time");
    if (keyId == null || keyId.isBlank() || keyId.contains("\n")) {
      throw new IllegalArgumentException("keyId is required, on one line");
    }
    if (!EC.equals(algorithm) && !RSA.equals(algorithm)) {
      throw new IllegalArgumentException("algorithm must be " + EC + " or " + RSA + ", not " + algorithm);
    }
    Objects.requireNonNull(signature, "signature");
  }

  /** Signs a checkpoint of {@code link} at {@code time} (truncated to milliseconds) with {@code key}. */
  public static Checkpoint sign(ChainLink link, Instant time, String keyId, PrivateKey key) {
    Instant millis = time.truncatedTo(ChronoUnit.MILLIS);
    String algorithm = algorithmFor(key.getAlgorithm());
    byte[] payload = payload(link.sequence(), link.hash(), millis, keyId);
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(payload);
      return new Checkpoint(link.sequence(), link.hash(), millis, keyId, algorithm,
          Base64.getEncoder().encodeToString(signer.sign()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign an audit checkpoint with a " + key.getAlgorithm() + " key", e);
    }
  }

  /**
   * Whether the signature is valid under {@code key}. False, never an exception, for a wrong key, a
   * key of another type than the algorithm, or a malformed signature.
   */
  public boolean verify(PublicKey key) {
    if (key == null || !algorithm.equals(algorithmFor(key.getAlgorithm(), null))) {
      return false;
    }
    try {
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(key);
      verifier.update(payload());
      return verifier.verify(Base64.getDecoder().decode(signature));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  /** The bytes the signature covers. */
  public byte[] payload() {
    return payload(sequence, hash, time, keyId);
  }

  private static byte[] payload(long sequence, String hash, Instant time, String keyId) {
    return ("custodian-audit-checkpoint/1\n" + sequence + "\n" + hash + "\n" + time + "\n" + keyId)
        .getBytes(StandardCharsets.UTF_8);
  }

  private static String algorithmFor(String keyAlgorithm) {
    String algorithm = algorithmFor(keyAlgorithm, null);
    if (algorithm == null) {
      throw new IllegalArgumentException("checkpoint keys are EC or RSA, not " + keyAlgorithm);
    }
    return algorithm;
  }

  private static String algorithmFor(String keyAlgorithm, String otherwise) {
    if ("EC".equals(keyAlgorithm)) {
      return EC;
    }
    if ("RSA".equals(keyAlgorithm)) {
      return RSA;
    }
    return otherwise;
  }
}
