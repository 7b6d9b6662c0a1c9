package dev.custodian.audit.chain;

import java.security.PrivateKey;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/** Makes a signed {@link Checkpoint} of every {@code every}-th link of the chain. */
public final class Checkpointer {

  private final int every;
  private final PrivateKey key;
  private final String keyId;
  private final Clock clock;

  public Checkpointer(int every, PrivateKey key, String keyId, Clock clock) {
    if (every < 1) {
      throw new IllegalArgumentException("every must be at least 1");
    }
    this.every = every;
    this.key = Objects.requireNonNull(key, "key");
    this.keyId = Objects.requireNonNull(keyId, "keyId");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A checkpoint of {@code link} when its sequence is a multiple of {@code every}. */
  public Optional<Checkpoint> after(ChainLink link) {
    if (link.sequence() % every != 0) {
      return Optional.empty();
    }
    return Optional.of(now(link));
  }

  /** A checkpoint of {@code link} now, whatever its sequence (e.g. a periodic or shutdown one). */
  public Checkpoint now(ChainLink link) {
    return Checkpoint.sign(link, clock.instant(), keyId, key);
  }
}
