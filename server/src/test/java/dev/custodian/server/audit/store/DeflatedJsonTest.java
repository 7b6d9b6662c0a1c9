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
import org.junit.jupiter.api.Test;

/** The stored form of an event's JSON, written by deflaters that are reused from request to request. */
class DeflatedJsonTest {

  @Test
  void aReusedDeflaterWritesWhatANewOneWrites() {
    Random random = new Random(7);
    for (int i = 0; i < 200; i++) {
      byte[] json = json(random, i);
      // a fresh zlib stream at the fastest level: what any zlib tool reads, and what the store wrote
      // before deflaters were reused; a deflater not reset between events would write another stream
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
    Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    try {
      deflater.setInput(json);
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[1024];
      while (!deflater.finished()) {
        out.write(buffer, 0, deflater.deflate(buffer));
      }
      return out.toByteArray();
    } finally {
      deflater.end();
    }
  }
}
