package dev.custodian.server.audit.store;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * An audit event's JSON as stored in {@code custodian_audit_event.event_deflated}: zlib (RFC 1950),
 * at the fastest level, so any zlib tool reads it. The JDK's zlib binding does the work; this class
 * only sizes the buffers.
 */
final class DeflatedJson {

  private DeflatedJson() {}

  static byte[] deflate(byte[] json) {
    Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    try {
      deflater.setInput(json);
      deflater.finish();
      // JSON shrinks to well under half; the loop only runs again for incompressible input
      ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 2 + 64);
      byte[] buffer = new byte[Math.max(256, json.length / 2 + 64)];
      while (!deflater.finished()) {
        out.write(buffer, 0, deflater.deflate(buffer));
      }
      return out.toByteArray();
    } finally {
      deflater.end();
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
