package dev.custodian.server.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Where blobs live: opaque bytes under a key, written and read as streams, never whole in memory.
 * It knows nothing of encryption — {@link EncryptedBlobs} hands it ciphertext only — so a store
 * on an S3-compatible service can follow the filesystem one.
 *
 * <p>Keys are one or more segments separated by {@code /}; a segment is letters, digits, {@code .},
 * {@code _} and {@code -}, and does not start with {@code .}. Keys are at most 512 characters.
 */
public interface BlobStore {

  /**
   * Writes a blob atomically: readers see the previous blob under {@code key} (or none) until
   * {@code writer} has returned and the new bytes are durable, then the new one. If {@code writer}
   * throws, nothing is stored and the previous blob, if any, stays.
   */
  void put(String key, BlobWriter writer) throws IOException;

  /**
   * Opens a blob for reading; the caller closes the stream.
   *
   * @throws BlobNotFoundException when there is no blob under {@code key}
   */
  InputStream open(String key) throws IOException;

  boolean exists(String key) throws IOException;

  /** Deletes a blob; false when there was none. */
  boolean delete(String key) throws IOException;

  /** Deletes every blob whose key starts with {@code prefix + "/"}; returns how many there were. */
  int deleteAll(String prefix) throws IOException;

  /** Writes a blob's bytes into the stream it is given; it need not close the stream. */
  @FunctionalInterface
  interface BlobWriter {
    void writeTo(OutputStream out) throws IOException;
  }
}
