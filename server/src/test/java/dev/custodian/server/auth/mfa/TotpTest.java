package dev.custodian.server.auth.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.api.Test;

/** RFC 6238's own test vectors (SHA-1 key "12345678901234567890"), cut to 6 digits. */
class TotpTest {

  private static final String SECRET =
      new Base32().encodeAsString("12345678901234567890".getBytes(StandardCharsets.US_ASCII));

  @Test
  void matchesTheRfcVectors() {
    assertThat(Totp.code(SECRET, Instant.ofEpochSecond(59))).isEqualTo("287082");
    assertThat(Totp.code(SECRET, Instant.ofEpochSecond(1111111109))).isEqualTo("081804");
    assertThat(Totp.code(SECRET, Instant.ofEpochSecond(1234567890))).isEqualTo("005924");
    assertThat(Totp.code(SECRET, Instant.ofEpochSecond(2000000000))).isEqualTo("279037");
  }

  @Test
  void acceptsOneStepOfDriftAndNoMore() {
    Instant now = Instant.ofEpochSecond(1234567890);
    assertThat(Totp.verify(SECRET, Totp.code(SECRET, now), now)).isTrue();
    assertThat(Totp.verify(SECRET, Totp.code(SECRET, now.minusSeconds(30)), now)).isTrue();
    assertThat(Totp.verify(SECRET, Totp.code(SECRET, now.plusSeconds(30)), now)).isTrue();
    assertThat(Totp.verify(SECRET, Totp.code(SECRET, now.minusSeconds(90)), now)).isFalse();
    assertThat(Totp.verify(SECRET, null, now)).isFalse();
    assertThat(Totp.verify(SECRET, "12345", now)).isFalse();
    assertThat(Totp.verify(SECRET, "abcdef", now)).isFalse();
  }
}
