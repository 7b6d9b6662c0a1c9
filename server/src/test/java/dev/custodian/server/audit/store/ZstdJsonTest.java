package dev.custodian.server.audit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdCompressCtx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stored form of new events' JSON (V23): zstd frames, written by contexts reused from request to request. */
class ZstdJsonTest {

  @Test
  void aReusedContextWritesWhatANewOneWrites() {
    Random random = new Random(7);
    for (int i = 0; i < 200; i++) {
      byte[] json = EventJsonSamples.json(random, i);
      // a fresh frame at level 1 with the dictionary file as raw content; a context that carried
      // anything over from the last event would write another frame
      assertThat(ZstdJson.compress(json)).as("event %d", i).isEqualTo(fresh(json, dictionaryFile()));
      assertThat(ZstdJson.decompress(ZstdJson.compress(json))).isEqualTo(new String(json, StandardCharsets.UTF_8));
    }
  }

  @Test
  void concurrentRequestsNeverShareAContext() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (int t = 0; t < 24; t++) { // more at once than are kept for reuse
        int seed = t;
        done.add(threads.submit(() -> {
          Random random = new Random(seed);
          for (int i = 0; i < 300; i++) {
            byte[] json = EventJsonSamples.json(random, seed * 1000 + i);
            String back = ZstdJson.decompress(ZstdJson.compress(json));
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
    assertThat(ZstdJson.decompress(ZstdJson.compress(utf8))).isEqualTo(text);
    byte[] json = EventJsonSamples.json(new Random(3), 1);
    assertThat(ZstdJson.compress(json)).isEqualTo(fresh(json, dictionaryFile()));
  }

  @Test
  void theFrameStartsWithZstdsMagicAndNothingElseDoes() {
    byte[] frame = ZstdJson.compress(EventJsonSamples.json(new Random(13), 3));
    assertThat(Arrays.copyOf(frame, 4)).containsExactly(0x28, 0xB5, 0x2F, 0xFD);
    assertThat(ZstdJson.isFrame(frame)).isTrue();
    // what V21 and V22 stored: a zlib stream begins 0x78
    assertThat(ZstdJson.isFrame(DeflatedJsonTest.zlib(EventJsonSamples.json(new Random(13), 3), null))).isFalse();
    assertThat(ZstdJson.isFrame(new byte[] {0x28, (byte) 0xB5, 0x2F})).isFalse();
  }

  @Test
  void somethingElseIsNoFrame() {
    byte[] json = "{\"resourceType\":\"AuditEvent\"}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> ZstdJson.decompress(json)).isInstanceOf(IllegalArgumentException.class);
    byte[] frame = ZstdJson.compress(EventJsonSamples.json(new Random(5), 2));
    for (int length : new int[] {3, 6, frame.length / 2, frame.length - 1}) {
      assertThatThrownBy(() -> ZstdJson.decompress(Arrays.copyOf(frame, length)))
          .as("cut to %d of %d bytes", length, frame.length).isInstanceOf(IllegalArgumentException.class);
    }
    byte[] flipped = frame.clone();
    flipped[flipped.length / 2] ^= 0x5a;
    try {
      // a changed byte mid-frame either fails to decode or decodes to other JSON; never the event
      assertThat(ZstdJson.decompress(flipped)).isNotEqualTo(new String(EventJsonSamples.json(new Random(5), 2), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException expected) {
      assertThat(expected).hasMessageContaining("zstd");
    }
    // a frame whose header claims more than any event holds is refused before anything is allocated
    byte[] huge = ZstdJson.compress(new byte[17 * 1024 * 1024]);
    assertThatThrownBy(() -> ZstdJson.decompress(huge)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("content size");
    // and whatever failed before, the next event reads whole
    for (int i = 0; i < 40; i++) {
      byte[] next = EventJsonSamples.json(new Random(23), i);
      assertThat(ZstdJson.decompress(ZstdJson.compress(next))).isEqualTo(new String(next, StandardCharsets.UTF_8));
    }
  }

  @Test
  void theZstdToolReadsTheFrameGivenTheDictionaryFile(@TempDir Path directory) throws Exception {
    byte[] json = EventJsonSamples.json(new Random(17), 4);
    Path frame = directory.resolve("event.zst");
    Files.write(frame, ZstdJson.compress(json));
    Path out = directory.resolve("event.json");
    Process zstd;
    try {
      zstd = new ProcessBuilder("zstd", "-q", "-d", "-D", dictionaryPath().toAbsolutePath().toString(),
          frame.toString(), "-o", out.toString()).redirectErrorStream(true).start();
    } catch (java.io.IOException e) {
      throw new AssertionError("this test needs the zstd tool: apt-get install zstd (.ci/run installs it)", e);
    }
    assertThat(zstd.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String said = new String(zstd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(zstd.exitValue()).as(said).isZero();
    assertThat(Files.readAllBytes(out)).isEqualTo(json);
  }

  @Test
  void aReadEventIsSmallerThanWithZlibAndTheSameDictionary() {
    byte[] json = EventJsonSamples.readEvent(dictionaryFile());
    int zstd = ZstdJson.compress(json).length;
    assertThat(zstd).isLessThan(DeflatedJsonTest.zlib(json, dictionaryFile()).length);
    // and far below the JSON without any dictionary
    assertThat(zstd).isLessThan(fresh(json, null).length / 3);
  }

  @Test
  void theReleasedDictionaryIsUnchanged() {
    // stored events need dictionary 1 byte for byte: a new dictionary is a new file, never an edit
    assertThat(DeflatedJson.adler32(dictionaryFile())).isEqualTo(EventJsonSamples.DICTIONARY_1_ADLER32);
    assertThat(EventDictionary.ONE).isEqualTo(dictionaryFile());
  }

  private static Path dictionaryPath() {
    return Path.of("src/main/resources/audit/event-dictionary-1.json");
  }

  static byte[] dictionaryFile() {
    try {
      return Files.readAllBytes(dictionaryPath());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static byte[] fresh(byte[] json, byte[] dictionary) {
    try (ZstdCompressCtx context = new ZstdCompressCtx()) {
      context.setLevel(1);
      if (dictionary != null) {
        context.loadDict(dictionary);
      }
      return context.compress(json);
    }
  }
}
