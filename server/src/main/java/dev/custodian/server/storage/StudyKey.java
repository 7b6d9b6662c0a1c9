package dev.custodian.server.storage;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.prf.PredefinedPrfParameters;
import com.google.crypto.tink.prf.PrfConfig;
import com.google.crypto.tink.prf.PrfSet;
import com.google.crypto.tink.streamingaead.AesGcmHkdfStreamingKey;
import com.google.crypto.tink.streamingaead.AesGcmHkdfStreamingParameters;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;
import com.google.crypto.tink.subtle.AesGcmHkdfStreaming;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * One study's unwrapped keys, in memory only while a blob is written or read:
 *
 * <ul>
 *   <li>the data key (DEK): a Tink streaming AEAD keyset, AES-256-GCM with HKDF-SHA256 derived
 *       per-blob keys in 64 KiB segments (each segment authenticated on its own, so a blob streams
 *       in bounded memory, and the JDK's AES-NI path does the work);
 *   <li>the name key: an HMAC-SHA256 PRF keyset that turns a blob key (a SOP Instance UID, say)
 *       into the blob's file name, so no UID appears in the blob directory either.
 * </ul>
 *
 * Every blob's associated data is the study UID and the blob key: a blob moved to another study
 * or another blob key fails authentication.
 */
public final class StudyKey {

  /** 64 KiB ciphertext segments: bounded memory per stream, early tamper detection, ~0.03% overhead. */
  static final int SEGMENT_BYTES = 64 * 1024;

  static {
    try {
      StreamingAeadConfig.register();
      PrfConfig.register();
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Registers Tink's key types (this class's static initializer) before any keyset is parsed. */
  static void registerKeyTypes() {
    // the static initializer above has run by now
  }

  private final String studyUid;
  private final String keyId;
  private final KeysetHandle dataKey;
  private final KeysetHandle nameKey;
  private final StreamingAead aead;
  private final StreamingAead decryptor;
  private final PrfSet names;

  StudyKey(String studyUid, String keyId, KeysetHandle dataKey, KeysetHandle nameKey) throws GeneralSecurityException {
    this.studyUid = studyUid;
    this.keyId = keyId;
    this.dataKey = dataKey;
    this.nameKey = nameKey;
    this.aead = dataKey.getPrimitive(RegistryConfiguration.get(), StreamingAead.class);
    this.decryptor = decryptor(dataKey, aead);
    this.names = nameKey.getPrimitive(RegistryConfiguration.get(), PrfSet.class);
  }

  /**
   * What decrypts this study's blobs: the data key's own AES-GCM-HKDF primitive when the keyset
   * holds just that one key (always so far: a study's data key is never rotated, only re-wrapped).
   * Tink's keyset-level stream would decrypt the same bytes the same way (a streaming AEAD
   * ciphertext has no key prefix; the keyset stream encrypts with its primary key), but to find
   * the key it buffers the ciphertext in a growing {@link java.io.BufferedInputStream}, which then
   * copies every byte once more on the way: a tenth or more of the CPU a WADO-RS retrieval spends.
   * With several keys (not made by this server) it keeps Tink's key matching.
   */
  private static StreamingAead decryptor(KeysetHandle dataKey, StreamingAead keysetPrimitive) throws GeneralSecurityException {
    if (dataKey.size() == 1 && dataKey.getPrimary().getKey() instanceof AesGcmHkdfStreamingKey key) {
      return AesGcmHkdfStreaming.create(key);
    }
    return keysetPrimitive;
  }

  /** Fresh keys for a study. */
  static StudyKey generate(String studyUid, String keyId) throws GeneralSecurityException {
    KeysetHandle dataKey = KeysetHandle.generateNew(
        AesGcmHkdfStreamingParameters.builder()
            .setKeySizeBytes(32)
            .setDerivedAesGcmKeySizeBytes(32)
            .setHkdfHashType(AesGcmHkdfStreamingParameters.HashType.SHA256)
            .setCiphertextSegmentSizeBytes(SEGMENT_BYTES)
            .build());
    return new StudyKey(studyUid, keyId, dataKey, KeysetHandle.generateNew(PredefinedPrfParameters.HMAC_SHA256_PRF));
  }

  public String studyUid() {
    return studyUid;
  }

  /** The key's random id; also the name of the study's blob directory. */
  public String keyId() {
    return keyId;
  }

  KeysetHandle dataKeyset() {
    return dataKey;
  }

  KeysetHandle nameKeyset() {
    return nameKey;
  }

  /** The blob store key of a blob of this study: {@code <key id>/<PRF of the blob key, hex>}. */
  String storageKey(String blobKey) {
    try {
      return keyId + "/" + HexFormat.of().formatHex(names.computePrimary(utf8(blobKey), 32));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot name blob", e);
    }
  }

  /** Encrypts what is written to the returned stream into {@code ciphertext}; close it to finish the blob. */
  OutputStream encrypting(OutputStream ciphertext, String blobKey) throws IOException {
    try {
      return aead.newEncryptingStream(ciphertext, associatedData(studyUid, blobKey));
    } catch (GeneralSecurityException e) {
      throw new IOException("Cannot start encrypting blob " + blobKey + " of study " + studyUid, e);
    }
  }

  /**
   * Decrypts {@code ciphertext} as it is read. A failed authentication surfaces as {@link
   * BlobIntegrityException}; a failure of the underlying stream as itself.
   */
  InputStream decrypting(InputStream ciphertext, String blobKey) throws IOException {
    SourceStream source = new SourceStream(ciphertext);
    try {
      return new IntegrityCheckedStream(decryptor.newDecryptingStream(source, associatedData(studyUid, blobKey)), source, blobKey);
    } catch (GeneralSecurityException e) {
      throw new IOException("Cannot start decrypting blob " + blobKey + " of study " + studyUid, e);
    }
  }

  static byte[] associatedData(String studyUid, String blobKey) {
    return utf8("custodian/blob\0" + studyUid + "\0" + blobKey);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Remembers the I/O failures of the ciphertext source, so they are not mistaken for tampering. */
  private static final class SourceStream extends FilterInputStream {
    private volatile IOException failure;

    SourceStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }
  }

  /**
   * Turns Tink's authentication failures (plain IOExceptions) into {@link BlobIntegrityException}.
   * Tink checks each 64 KiB segment before releasing it, so earlier segments may already have
   * reached the reader when a later one fails; nothing unauthenticated is ever returned.
   */
  private final class IntegrityCheckedStream extends FilterInputStream {
    private final SourceStream source;
    private final String blobKey;
    private IOException failed;

    IntegrityCheckedStream(InputStream plaintext, SourceStream source, String blobKey) {
      super(plaintext);
      this.source = source;
      this.blobKey = blobKey;
    }

    @Override
    public int read() throws IOException {
      rethrowEarlierFailure();
      try {
        return in.read();
      } catch (IOException e) {
        throw failed(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      rethrowEarlierFailure();
      try {
        return in.read(b, off, len);
      } catch (IOException e) {
        throw failed(e);
      }
    }

    @Override
    public long skip(long n) throws IOException {
      byte[] buffer = new byte[(int) Math.min(8192, Math.max(n, 1))];
      long skipped = 0;
      while (skipped < n) {
        int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
        if (r < 0) {
          break;
        }
        skipped += r;
      }
      return skipped;
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    private void rethrowEarlierFailure() throws IOException {
      if (failed != null) {
        throw failed;
      }
    }

    private IOException failed(IOException e) {
      failed = classify(e);
      return failed;
    }

    private IOException classify(IOException e) {
      IOException io = source.failure;
      if (io != null) {
        return io;
      }
      return new BlobIntegrityException(
          "Blob " + blobKey + " of study " + studyUid + " failed authentication (altered, truncated or misplaced)", e);
    }
  }
}
