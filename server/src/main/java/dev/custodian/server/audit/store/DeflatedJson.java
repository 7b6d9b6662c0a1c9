package dev.custodian.server.audit.store;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * An audit event's JSON as stored in {@code custodian_audit_event.event_deflated}: zlib (RFC 1950),
 * at the fastest level, so any zlib tool reads it. The JDK's zlib binding does the work; this class
 * sizes the buffers and reuses deflaters.
 */
final class DeflatedJson {

  private DeflatedJson() {}

  /**
   * Deflaters to reuse, reset: each holds about 260 KB of zlib state outside the Java heap, which a
   * new one allocates and clears again. Made anew for every event, they cost the server about 0.14 ms
   * of CPU per audited read (session 11, interleaved runs of two builds: read ratio 0.78 → 0.80, 0.82),
   * far more than the 1 µs a microbenchmark shows, where the allocator and the caches stay warm. A
   * request takes one, or makes one when all are in use; at most {@link #POOLED} are kept, a few MB.
   */
  private static final int POOLED = 16;
  private static final BlockingQueue<Deflater> DEFLATERS = new ArrayBlockingQueue<>(POOLED);

  static byte[] deflate(byte[] json) {
    Deflater deflater = DEFLATERS.poll();
    if (deflater == null) {
      deflater = new Deflater(Deflater.BEST_SPEED);
    }
    boolean reusable = false;
    try {
      deflater.setInput(json);
      deflater.finish();
      // JSON shrinks to well under half; the loop only runs again for incompressible input
      ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 2 + 64);
      byte[] buffer = new byte[Math.max(256, json.length / 2 + 64)];
      while (!deflater.finished()) {
        out.write(buffer, 0, deflater.deflate(buffer));
      }
      reusable = true;
      return out.toByteArray();
    } finally {
      if (reusable) {
        deflater.reset();
        if (!DEFLATERS.offer(deflater)) {
          deflater.end();
        }
      } else {
        deflater.end();
      }
    }
  }

  /** The JSON of {@code deflated}; throws IllegalArgumentException when it is no zlib stream. */
  static String inflate(byte[] deflated) {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(deflated);
      ByteArrayOutputStream out = new ByteArrayOutputStream(deflated.length * 3);
      byte[] buffer = new byte[Math.max(1024, deflated.length * 3)];
      while (!inflater.finished()) {
        int n = inflater.inflate(buffer);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new IllegalArgumentException("truncated or not a zlib stream");
        }
        out.write(buffer, 0, n);
      }
      return out.toString(StandardCharsets.UTF_8);
    } catch (DataFormatException e) {
      throw new IllegalArgumentException("not a zlib stream: " + e.getMessage(), e);
    } finally {
      inflater.end();
    }
  }
}
