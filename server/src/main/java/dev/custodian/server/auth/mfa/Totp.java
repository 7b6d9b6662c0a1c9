package dev.custodian.server.auth.mfa;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.binary.Base32;

/**
 * Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits), the codes
 * authenticator apps show. Written here because it is a dozen lines over the JDK's HMAC; no
 * maintained TOTP library is served to these machines.
 */
public final class Totp {

  private static final int STEP_SECONDS = 30;
  private static final int DIGITS = 6;
  /** Codes of the previous and next step are accepted too, for clock drift. */
  private static final int DRIFT_STEPS = 1;

  private Totp() {}

  /** A new random secret (160 bits, as RFC 4226 recommends), Base32 without padding. */
  public static String newSecret() {
    byte[] secret = new byte[20];
    new java.security.SecureRandom().nextBytes(secret);
    return new Base32().encodeAsString(secret).replace("=", "");
  }

  /** The {@code otpauth://} URI authenticator apps read (usually from a QR code) for {@code secret}. */
  public static String otpauthUri(String issuer, String account, String secret) {
    java.util.function.UnaryOperator<String> enc =
        value -> java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    return "otpauth://totp/" + enc.apply(issuer) + ":" + enc.apply(account) + "?secret=" + secret
        + "&issuer=" + enc.apply(issuer) + "&algorithm=SHA1&digits=" + DIGITS + "&period=" + STEP_SECONDS;
  }

  /** The code for {@code base32Secret} at {@code at}. */
  public static String code(String base32Secret, Instant at) {
    return code(new Base32().decode(base32Secret), at.getEpochSecond() / STEP_SECONDS);
  }

  /** Whether {@code code} is right for the secret now (within one step either way). */
  public static boolean verify(String base32Secret, String code, Instant now) {
    if (code == null || !code.matches("\\d{" + DIGITS + "}")) {
      return false;
    }
    byte[] key = new Base32().decode(base32Secret);
    long step = now.getEpochSecond() / STEP_SECONDS;
    boolean ok = false;
    for (long s = step - DRIFT_STEPS; s <= step + DRIFT_STEPS; s++) {
      // constant-time comparison, and no early exit, so timing reveals nothing
      ok |= MessageDigest.isEqual(code(key, s).getBytes(), code.getBytes());
    }
    return ok;
  }

  private static String code(byte[] key, long step) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(key, "HmacSHA1"));
      byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
      int offset = hash[hash.length - 1] & 0x0f;
      int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
          | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
      return String.format("%0" + DIGITS + "d", binary % 1_000_000);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is unavailable", e);
    }
  }
}
