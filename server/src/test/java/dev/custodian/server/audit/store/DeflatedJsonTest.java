package dev.custodian.server.audit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/** The stored form of an event's JSON, written by deflaters that are reused from request to request. */
class DeflatedJsonTest {

  @Test
  void aReusedDeflaterWritesWhatANewOneWrites() {
    Random random = new Random(7);
    for (int i = 0; i < 200; i++) {
      byte[] json = json(random, i);
      // a fresh zlib stream at the fastest level with the dictionary: what a zlib tool given the
      // dictionary reads; a deflater not reset between events would write another stream
      assertThat(DeflatedJson.deflate(json)).as("event %d", i).isEqualTo(fresh(json));
      assertThat(DeflatedJson.inflate(DeflatedJson.deflate(json))).isEqualTo(new String(json, StandardCharsets.UTF_8));
    }
  }

  @Test
  void concurrentRequestsNeverShareADeflater() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (int t = 0; t < 24; t++) { // more at once than are kept for reuse
        int seed = t;
        done.add(threads.submit(() -> {
          Random random = new Random(seed);
          for (int i = 0; i < 300; i++) {
            byte[] json = json(random, seed * 1000 + i);
            String back = DeflatedJson.inflate(DeflatedJson.deflate(json));
            if (!back.equals(new String(json, StandardCharsets.UTF_8))) {
              throw new AssertionError("thread " + seed + ", event " + i + " came back as another event");
            }
          }
          return seed;
        }));
      }
      for (Future<Integer> future : done) {
        future.get();
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void incompressibleInputComesBackWhole() {
    byte[] noise = new byte[64 * 1024];
    new Random(11).nextBytes(noise);
    String text = new String(noise, StandardCharsets.ISO_8859_1);
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    assertThat(DeflatedJson.inflate(DeflatedJson.deflate(utf8))).isEqualTo(text);
    // and the deflater it used is still good for the next, ordinary event
    byte[] json = json(new Random(3), 1);
    assertThat(DeflatedJson.deflate(json)).isEqualTo(fresh(json));
  }

  @Test
  void somethingElseIsNoZlibStream() {
    assertThatThrownBy(() -> DeflatedJson.inflate("{\"resourceType\":\"AuditEvent\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
    byte[] truncated = DeflatedJson.deflate(json(new Random(5), 2));
    assertThatThrownBy(() -> DeflatedJson.inflate(java.util.Arrays.copyOf(truncated, truncated.length / 2)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theStreamNamesTheDictionaryInItsHeaderAndAZlibToolReadsItWithTheFile() throws Exception {
    byte[] json = json(new Random(13), 3);
    byte[] stored = DeflatedJson.deflate(json);
    // RFC 1950: CMF 0x78, FLG with FDICT (0x20) set, then DICTID, the dictionary's Adler-32
    assertThat(stored[0]).isEqualTo((byte) 0x78);
    assertThat(stored[1] & 0x20).isEqualTo(0x20);
    assertThat(java.nio.ByteBuffer.wrap(stored, 2, 4).getInt() & 0xffffffffL).isEqualTo(DICTIONARY_1_ADLER32);

    Inflater tool = new Inflater();
    try {
      tool.setInput(stored);
      byte[] out = new byte[json.length + 1];
      assertThat(tool.inflate(out)).isZero();
      assertThat(tool.needsDictionary()).isTrue();
      tool.setDictionary(dictionaryFile());
      assertThat(tool.inflate(out)).isEqualTo(json.length);
      assertThat(tool.finished()).isTrue();
    } finally {
      tool.end();
    }
  }

  @Test
  void theReleasedDictionaryIsUnchanged() throws Exception {
    // stored events need dictionary 1 byte for byte: a new dictionary is a new file, never an edit
    assertThat(DeflatedJson.adler32(dictionaryFile())).isEqualTo(DICTIONARY_1_ADLER32);
  }

  @Test
  void aReadEventShrinksToUnderAThirdOfWhatZlibAloneGives() throws Exception {
    // the dictionary with values filled in again, as a read event of the demo has them
    String event = new String(dictionaryFile(), StandardCharsets.UTF_8).strip()
        .replace("\"Patient/\"", "\"Patient/alice\"").replace("\"ImagingStudy/\"", "\"ImagingStudy/alice-ct-chest\"")
        .replace("jti:", "jti:e687b270-0299-4456-85b5-99935bd0c1a3").replace("\"value\":\"\"", "\"value\":\"BlOl0E5gvCmKQudH\"");
    byte[] json = event.getBytes(StandardCharsets.UTF_8);
    int withDictionary = DeflatedJson.deflate(json).length;
    assertThat(withDictionary).isLessThan(fresh(json, false).length / 3);
  }

  @Test
  void aStreamWrittenWithoutDictionaryIsStillRead() {
    // events stored from V21 until the dictionary came
    byte[] json = json(new Random(17), 4);
    assertThat(DeflatedJson.inflate(fresh(json, false))).isEqualTo(new String(json, StandardCharsets.UTF_8));
  }

  @Test
  void aStreamNeedingAnUnknownDictionaryIsRefused() {
    byte[] json = json(new Random(19), 5);
    Deflater other = new Deflater(Deflater.BEST_SPEED);
    byte[] stored = new byte[json.length + 64];
    int length;
    try {
      other.setDictionary("some other dictionary".getBytes(StandardCharsets.UTF_8));
      other.setInput(json);
      other.finish();
      length = other.deflate(stored);
    } finally {
      other.end();
    }
    byte[] storedWithOther = java.util.Arrays.copyOf(stored, length);
    assertThatThrownBy(() -> DeflatedJson.inflate(storedWithOther))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown dictionary");
  }

  /** Adler-32 of {@code server/src/main/resources/audit/zlib-dictionary-1.json}, as first released. */
  private static final long DICTIONARY_1_ADLER32 = 1890626567L;

  private static byte[] dictionaryFile() throws java.io.IOException {
    return java.nio.file.Files.readAllBytes(java.nio.file.Path.of("src/main/resources/audit/zlib-dictionary-1.json"));
  }

  /** An AuditEvent-like JSON text of varying length and content. */
  private static byte[] json(Random random, int n) {
    StringBuilder json = new StringBuilder("{\"resourceType\":\"AuditEvent\",\"n\":").append(n).append(",\"entity\":[");
    int entities = 1 + random.nextInt(40);
    for (int i = 0; i < entities; i++) {
      json.append(i == 0 ? "" : ",").append("{\"what\":{\"reference\":\"ImagingStudy/s-")
          .append(Long.toHexString(random.nextLong())).append("\"},\"détail\":\"").append(random.nextInt()).append("\"}");
    }
    return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] fresh(byte[] json) {
    return fresh(json, true);
  }

  private static byte[] fresh(byte[] json, boolean withDictionary) {
    Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    try {
      if (withDictionary) {
        deflater.setDictionary(dictionaryFile());
      }
      deflater.setInput(json);
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[1024];
      while (!deflater.finished()) {
        out.write(buffer, 0, deflater.deflate(buffer));
      }
      return out.toByteArray();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      deflater.end();
    }
  }
}
