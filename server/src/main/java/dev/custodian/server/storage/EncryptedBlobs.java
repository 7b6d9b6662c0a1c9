package dev.custodian.server.storage;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * DICOM instances (or any bytes of a study) encrypted at rest: what the DICOMweb layer stores and
 * retrieves. Each blob is encrypted while it streams in, under its study's data key with the
 * study UID and blob key as associated data, and written atomically; only ciphertext ever reaches
 * the disk, temporary files included. Reading decrypts while it streams out. Memory stays flat
 * whatever the size.
 *
 * <pre>{@code
 * StoredBlob stored = blobs.store(studyUid, sopInstanceUid, partInputStream);
 * try (InputStream in = blobs.open(studyUid, sopInstanceUid)) { in.transferTo(response); }
 * }</pre>
 *
 * The blob key is the caller's name for the blob within the study (a SOP Instance UID, say); it
 * never appears on disk (the file name is a keyed hash of it).
 */
public final class EncryptedBlobs {

  private final BlobStore store;
  private final StudyKeys keys;
  private final boolean encrypted;

  public EncryptedBlobs(BlobStore store, StudyKeys keys) {
    this(store, keys, true);
  }

  private EncryptedBlobs(BlobStore store, StudyKeys keys, boolean encrypted) {
    this.store = store;
    this.keys = keys;
    this.encrypted = encrypted;
  }

  /**
   * The baseline of the DICOMweb benchmark only ({@code custodian.bench.plaintext-blobs}): the same
   * store, keys and blob names, without the cipher. Never for real images.
   */
  public static EncryptedBlobs plaintextForBenchmark(BlobStore store, StudyKeys keys) {
    return new EncryptedBlobs(store, keys, false);
  }

  /**
   * Stores a blob from a stream (read to its end, not closed), replacing the one under the same
   * key atomically: storing the same instance again is idempotent. Creates the study's data key
   * on its first blob. If {@code content} fails, nothing is stored.
   */
  public StoredBlob store(String studyUid, String blobKey, InputStream content) throws IOException {
    return forWriting(studyUid).store(blobKey, content);
  }

  /** Stores the bytes {@code writer} writes (plaintext), encrypted, atomically, as {@link #store(String, String, InputStream)}. */
  public StoredBlob store(String studyUid, String blobKey, BlobStore.BlobWriter writer) throws IOException {
    return forWriting(studyUid).store(blobKey, writer);
  }

  /**
   * Opens a blob for reading, decrypting as it is read; the caller closes the stream.
   *
   * @throws StudyKeyUnavailableException the study has no data key, or it was destroyed (shredded)
   * @throws BlobNotFoundException the study has no blob under {@code blobKey}
   * @throws BlobIntegrityException (from the stream's reads) the blob was altered, truncated or
   *     moved; bytes of earlier, authentic 64 KiB segments may have been returned before
   */
  public InputStream open(String studyUid, String blobKey) throws IOException {
    return forReading(studyUid).open(blobKey);
  }

  public boolean exists(String studyUid, String blobKey) throws IOException {
    requireBlobKey(blobKey);
    Optional<StudyKey> key = keys.find(studyUid);
    return key.isPresent() && store.exists(key.get().storageKey(blobKey));
  }

  /**
   * One study's blobs under its data key, unwrapped once: for a request that touches many blobs
   * of a study (a WADO-RS study retrieval, a STOW-RS request). Keep it for the request only, so a
   * shredding takes effect.
   *
   * @throws StudyKeyUnavailableException as {@link #open}
   */
  public StudyBlobs forReading(String studyUid) throws IOException {
    return new StudyBlobs(keys.forReading(studyUid));
  }

  /** As {@link #forReading}, creating the study's data key if it has none. */
  public StudyBlobs forWriting(String studyUid) throws IOException {
    return new StudyBlobs(keys.forWriting(studyUid));
  }

  /** The blobs of one study, under its unwrapped data key. */
  public final class StudyBlobs {
    private final StudyKey key;

    private StudyBlobs(StudyKey key) {
      this.key = key;
    }

    public String studyUid() {
      return key.studyUid();
    }

    /** As {@link EncryptedBlobs#store(String, String, InputStream)}. */
    public StoredBlob store(String blobKey, InputStream content) throws IOException {
      return store(blobKey, out -> content.transferTo(out));
    }

    /** As {@link EncryptedBlobs#store(String, String, BlobStore.BlobWriter)}. */
    public StoredBlob store(String blobKey, BlobStore.BlobWriter writer) throws IOException {
      requireBlobKey(blobKey);
      MessageDigest sha256 = sha256();
      long[] size = new long[1];
      store.put(key.storageKey(blobKey), ciphertext -> {
        // closing the plaintext end finishes the encryption (the last segment) into the ciphertext
        OutputStream sink = encrypted ? key.encrypting(ciphertext, blobKey) : ciphertext;
        try (OutputStream plaintext = new DigestOutputStream(counting(sink, size), sha256)) {
          writer.writeTo(new FilterOutputStream(plaintext) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
              plaintext.write(b, off, len);
            }

            @Override
            public void close() {
              // the blob ends when the writer returns, not when it closes
            }
          });
        }
      });
      return new StoredBlob(key.studyUid(), blobKey, size[0], HexFormat.of().formatHex(sha256.digest()));
    }

    /** As {@link EncryptedBlobs#open}. */
    public InputStream open(String blobKey) throws IOException {
      requireBlobKey(blobKey);
      InputStream ciphertext = store.open(key.storageKey(blobKey));
      try {
        return encrypted ? key.decrypting(ciphertext, blobKey) : ciphertext;
      } catch (IOException | RuntimeException e) {
        ciphertext.close();
        throw e;
      }
    }

    public boolean exists(String blobKey) throws IOException {
      requireBlobKey(blobKey);
      return store.exists(key.storageKey(blobKey));
    }
  }

  /** Deletes one blob; false if there was none. */
  public boolean delete(String studyUid, String blobKey) throws IOException {
    requireBlobKey(blobKey);
    Optional<StudyKey> key = keys.find(studyUid);
    return key.isPresent() && store.delete(key.get().storageKey(blobKey));
  }

  /**
   * Crypto-shredding: destroys the study's data key first — from then on its blobs cannot be
   * decrypted by anyone, wherever copies of them are — then deletes its blobs. Safe to repeat
   * (a repeat deletes what a crash may have left).
   */
  public Shredded shred(String studyUid) throws IOException {
    Optional<String> keyId = keys.shred(studyUid);
    if (keyId.isEmpty()) {
      return new Shredded(studyUid, false, 0);
    }
    return new Shredded(studyUid, true, store.deleteAll(keyId.get()));
  }

  /**
   * What shredding did.
   *
   * @param keyDestroyed the study had a data key (now destroyed); false if it never had one
   * @param blobsDeleted blob files deleted after the key was destroyed
   */
  public record Shredded(String studyUid, boolean keyDestroyed, int blobsDeleted) {}

  private static void requireBlobKey(String blobKey) {
    if (blobKey == null || blobKey.isEmpty() || blobKey.length() > 1024) {
      throw new IllegalArgumentException("A blob key is 1 to 1024 characters");
    }
  }

  private static OutputStream counting(OutputStream out, long[] count) {
    return new FilterOutputStream(out) {
      @Override
      public void write(int b) throws IOException {
        out.write(b);
        count[0]++;
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        count[0] += len;
      }
    };
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
