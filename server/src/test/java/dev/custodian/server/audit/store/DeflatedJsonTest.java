package dev.custodian.server.audit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custodian.server.support.StoredAuditJson;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The stored form of events written from V21 until V23, zlib streams, which the server still reads. */
class DeflatedJsonTest {

  @Test
  void aStreamWithTheDictionaryOfV22IsRead() {
    Random random = new Random(7);
    for (int i = 0; i < 50; i++) {
      byte[] json = EventJsonSamples.json(random, i);
      byte[] stored = zlib(json, ZstdJsonTest.dictionaryFile());
      // RFC 1950: CMF 0x78, FLG with FDICT (0x20) set, then DICTID, the dictionary's Adler-32
      assertThat(stored[0]).isEqualTo((byte) 0x78);
      assertThat(stored[1] & 0x20).isEqualTo(0x20);
      assertThat(java.nio.ByteBuffer.wrap(stored, 2, 4).getInt() & 0xffffffffL)
          .isEqualTo(EventJsonSamples.DICTIONARY_1_ADLER32);
      assertThat(DeflatedJson.inflate(stored)).isEqualTo(new String(json, StandardCharsets.UTF_8));
    }
  }

  @Test
  void aStreamWrittenWithoutDictionaryIsRead() {
    // events stored from V21 until the dictionary came
    byte[] json = EventJsonSamples.json(new Random(17), 4);
    assertThat(DeflatedJson.inflate(zlib(json, null))).isEqualTo(new String(json, StandardCharsets.UTF_8));
  }

  @Test
  void somethingElseIsNoZlibStream() {
    assertThatThrownBy(() -> DeflatedJson.inflate("{\"resourceType\":\"AuditEvent\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
    byte[] stored = zlib(EventJsonSamples.json(new Random(5), 2), ZstdJsonTest.dictionaryFile());
    assertThatThrownBy(() -> DeflatedJson.inflate(Arrays.copyOf(stored, stored.length / 2)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aStreamNeedingAnUnknownDictionaryIsRefused() {
    byte[] stored = zlib(EventJsonSamples.json(new Random(19), 5), "some other dictionary".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> DeflatedJson.inflate(stored))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown dictionary");
  }

  /** What V21 (no dictionary) and V22 (dictionary 1) wrote: zlib at the fastest level. */
  static byte[] zlib(byte[] json, byte[] dictionary) {
    return StoredAuditJson.zlib(json, dictionary);
  }
}
