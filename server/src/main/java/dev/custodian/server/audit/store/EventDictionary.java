package dev.custodian.server.audit.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The dictionary audit events are compressed with: a read event's canonical JSON with its variable
 * values emptied ({@code /audit/event-dictionary-1.json} in the server jar and the repository). The
 * compressor starts each event as if that text came just before it, so the long code system URLs
 * every event repeats cost a few bytes each: a read's event takes about 200 bytes instead of 1,026.
 * A larger dictionary with more kinds of events gained little (session 12).
 *
 * <p>Never edit a released dictionary: stored events need it byte for byte. zlib streams name it by
 * its Adler-32 (1890626567); zstd frames use it as raw content, which gives them no dictionary id,
 * so a next dictionary must come with a way to tell which frames use it (a zstd dictionary in
 * zstd's own format carries an id).
 */
final class EventDictionary {

  private EventDictionary() {}

  /** Dictionary 1: zlib events since V22, zstd events since V23. */
  static final byte[] ONE = resource("/audit/event-dictionary-1.json");

  private static byte[] resource(String name) {
    try (InputStream in = EventDictionary.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing from the server: " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
