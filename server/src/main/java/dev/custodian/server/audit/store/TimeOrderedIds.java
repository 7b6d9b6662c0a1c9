package dev.custodian.server.audit.store;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Ids for new audit events: UUID version 7 (RFC 9562), a millisecond timestamp followed by random
 * bits. The unique index on the event id then grows at its right edge, like the sequence and the
 * recorded time, instead of taking each new id on a random page: with years of events kept, a
 * random id would need a random page of a large index in memory for every insert. Written here
 * because the JDK (as of 25) makes only version 4 and 3 UUIDs, and version 7 is a few lines.
 */
final class TimeOrderedIds {

  private static final SecureRandom RANDOM = new SecureRandom();

  private TimeOrderedIds() {}

  static UUID next() {
    return of(System.currentTimeMillis(), RANDOM.nextLong(), RANDOM.nextLong());
  }

  /** The version 7 UUID of {@code unixMillis} with the random bits taken from the two longs. */
  static UUID of(long unixMillis, long randomHigh, long randomLow) {
    long high = (unixMillis & 0xFFFF_FFFF_FFFFL) << 16 // 48 bits of time
        | 0x7000L // version 7
        | (randomHigh & 0x0FFFL); // 12 random bits
    long low = (randomLow & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L; // variant 10, 62 random bits
    return new UUID(high, low);
  }
}
