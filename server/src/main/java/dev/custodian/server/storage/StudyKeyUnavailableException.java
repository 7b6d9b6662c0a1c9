package dev.custodian.server.storage;

import java.io.IOException;

/**
 * A study's data key cannot be used: the study never had one, it was destroyed (crypto-shredded),
 * or the key-encryption key that wraps it is missing from the keystore. Without the data key the
 * study's blobs cannot be decrypted by anyone.
 */
public class StudyKeyUnavailableException extends IOException {

  /** Why the key cannot be used. */
  public enum Reason {
    /** No key was ever created for the study. */
    UNKNOWN,
    /** The key was destroyed; the study's blobs are unrecoverable. */
    DESTROYED,
    /** The key exists but cannot be unwrapped (its key-encryption key is missing or wrong). */
    UNWRAPPABLE
  }

  private final Reason reason;

  public StudyKeyUnavailableException(Reason reason, String message) {
    this(reason, message, null);
  }

  public StudyKeyUnavailableException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
