package dev.custodian.server.audit.store;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.zip.Adler32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * An audit event's JSON as stored in {@code custodian_audit_event.event_deflated}: zlib (RFC 1950),
 * at the fastest level, with a preset dictionary, so any zlib tool reads it given the dictionary
 * file. The JDK's zlib binding does the work; this class picks the dictionary, sizes the buffers and
 * reuses deflaters.
 */
final class DeflatedJson {

  private DeflatedJson() {}

  /**
   * The preset dictionary new events are compressed with: a read event's canonical JSON with its
   * variable values emptied ({@code /audit/zlib-dictionary-1.json} in the server jar and the
   * repository). zlib starts each event as if that text came just before it, so the long code system
   * URLs every event repeats cost a few bytes each. A read's event: 1,026 bytes without, 210 with
   * (a search's 1,158 → 376), deflated in 12 µs instead of 15. With its search terms and indexes an
   * event takes about 1.6 KB on disk instead of 2.9 KB, and each row costs PostgreSQL less to write. A larger dictionary with more
   * kinds of events gained little and cost more per event: zlib indexes the whole dictionary before
   * every event.
   *
   * <p>Each stream's header names its dictionary by its Adler-32 (RFC 1950's DICTID), so a reader
   * knows which one it needs; streams without one, written before, are read as they are. Never edit
   * a released dictionary: stored events need it byte for byte. To change it, add the next file, make
   * it {@code CURRENT} and keep the old one in {@code KNOWN}.
   */
  private static final byte[] CURRENT = resource("/audit/zlib-dictionary-1.json");
  /** Every dictionary an event may have been compressed with, by its Adler-32. */
  private static final Map<Long, byte[]> KNOWN = Map.of(adler32(CURRENT), CURRENT);

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
      deflater.setDictionary(CURRENT); // a reset forgets it
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

  /**
   * The JSON of {@code deflated}; throws IllegalArgumentException when it is no zlib stream or needs
   * a dictionary this server does not know.
   */
  static String inflate(byte[] deflated) {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(deflated);
      ByteArrayOutputStream out = new ByteArrayOutputStream(deflated.length * 5);
      byte[] buffer = new byte[Math.max(1024, deflated.length * 5)];
      while (!inflater.finished()) {
        int n = inflater.inflate(buffer);
        if (n == 0 && inflater.needsDictionary()) {
          byte[] dictionary = KNOWN.get(Integer.toUnsignedLong(inflater.getAdler()));
          if (dictionary == null) {
            throw new IllegalArgumentException("compressed with an unknown dictionary (Adler-32 "
                + Integer.toUnsignedString(inflater.getAdler()) + ")");
          }
          inflater.setDictionary(dictionary);
          continue;
        }
        if (n == 0 && inflater.needsInput()) {
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

  /** The Adler-32 of {@code bytes}, as zlib names a dictionary (unsigned). */
  static long adler32(byte[] bytes) {
    Adler32 adler = new Adler32();
    adler.update(bytes);
    return adler.getValue();
  }

  private static byte[] resource(String name) {
    try (InputStream in = DeflatedJson.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing from the server: " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
