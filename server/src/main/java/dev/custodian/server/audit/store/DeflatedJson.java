package dev.custodian.server.audit.store;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.Adler32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * An audit event's JSON as stored from V21 until V23: zlib (RFC 1950) at the fastest level, since
 * V22 with {@link EventDictionary#ONE} as preset dictionary, which the stream's header names by its
 * Adler-32 (DICTID). New events are stored as zstd frames ({@link ZstdJson}); this class reads the
 * older ones, with or without dictionary, through the JDK's zlib binding.
 */
final class DeflatedJson {

  private DeflatedJson() {}

  /** Every dictionary an event may have been compressed with, by its Adler-32. */
  private static final Map<Long, byte[]> KNOWN = Map.of(adler32(EventDictionary.ONE), EventDictionary.ONE);

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
}
