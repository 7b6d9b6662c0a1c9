package dev.custodian.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.StreamingAead;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A study key's streaming encryption, without database or disk: associated data binds a blob to
 * its study and blob key, and every alteration or truncation is our {@link BlobIntegrityException}.
 */
class BlobCipherTest {

  private static final String STUDY = "1.2.826.0.1.3680043.10.9.1";
  private static final String OTHER_STUDY = "1.2.826.0.1.3680043.10.9.2";
  private static final String BLOB = "1.2.826.0.1.3680043.10.9.1.1.1";
  /** Three full 64 KiB segments and part of a fourth. */
  private static final byte[] PLAINTEXT = random(3 * StudyKey.SEGMENT_BYTES + 12_345);

  private final StudyKey key = generate(STUDY);

  @Test
  void aBlobRoundTripsAndTheCiphertextIsNotThePlaintext() throws IOException {
    byte[] ciphertext = encrypt(key, BLOB, PLAINTEXT);
    assertThat(ciphertext.length).isGreaterThan(PLAINTEXT.length);
    assertThat(indexOf(ciphertext, Arrays.copyOfRange(PLAINTEXT, 1000, 1032))).isNegative();
    assertThat(decrypt(key, BLOB, ciphertext)).isEqualTo(PLAINTEXT);
    assertThat(decrypt(key, BLOB, encrypt(key, BLOB, new byte[0]))).isEmpty();
    try (InputStream in = key.decrypting(new ByteArrayInputStream(ciphertext), BLOB)) {
      assertThat(in.read()).isEqualTo(PLAINTEXT[0] & 0xff);
      assertThat(in.skip(StudyKey.SEGMENT_BYTES)).isEqualTo(StudyKey.SEGMENT_BYTES);
      assertThat(in.read()).isEqualTo(PLAINTEXT[StudyKey.SEGMENT_BYTES + 1] & 0xff);
    }
  }

  @Test
  void associatedDataBindsABlobToItsStudyAndBlobKey() throws Exception {
    byte[] ciphertext = encrypt(key, BLOB, PLAINTEXT);
    // the same data key, but the blob presented as another study's or under another blob key
    StudyKey sameKeyOtherStudy = new StudyKey(OTHER_STUDY, key.keyId(), key.dataKeyset(), key.nameKeyset());
    assertThatThrownBy(() -> decrypt(sameKeyOtherStudy, BLOB, ciphertext)).isInstanceOf(BlobIntegrityException.class);
    assertThatThrownBy(() -> decrypt(key, BLOB + ".2", ciphertext)).isInstanceOf(BlobIntegrityException.class);
    // another study's data key
    assertThatThrownBy(() -> decrypt(generate(OTHER_STUDY), BLOB, ciphertext))
        .isInstanceOf(BlobIntegrityException.class)
        .hasMessageContaining("failed authentication");
  }

  @Test
  void flippingAnyByteIsDetected() throws IOException {
    byte[] ciphertext = encrypt(key, BLOB, PLAINTEXT);
    // the header, the first segment, a middle segment, the last tag
    for (int position : new int[] {0, 20, 40, 100, StudyKey.SEGMENT_BYTES + 7, 2 * StudyKey.SEGMENT_BYTES, ciphertext.length - 1}) {
      byte[] tampered = ciphertext.clone();
      tampered[position] ^= 0x01;
      assertThatThrownBy(() -> decrypt(key, BLOB, tampered)).as("byte %d flipped", position).isInstanceOf(BlobIntegrityException.class);
    }
  }

  @Test
  void truncationIsDetectedAtASegmentBoundaryToo() throws IOException {
    byte[] ciphertext = encrypt(key, BLOB, PLAINTEXT);
    for (int length : new int[] {0, 10, 100, StudyKey.SEGMENT_BYTES, 2 * StudyKey.SEGMENT_BYTES, 3 * StudyKey.SEGMENT_BYTES, ciphertext.length - 1}) {
      byte[] truncated = Arrays.copyOf(ciphertext, length);
      assertThatThrownBy(() -> decrypt(key, BLOB, truncated)).as("cut to %d bytes", length).isInstanceOf(BlobIntegrityException.class);
    }
    byte[] extended = Arrays.copyOf(ciphertext, ciphertext.length + 1);
    assertThatThrownBy(() -> decrypt(key, BLOB, extended)).isInstanceOf(BlobIntegrityException.class);
  }

  @Test
  void earlierSegmentsArriveBeforeALaterOneFailsAndThenNothingMore() throws IOException {
    byte[] ciphertext = encrypt(key, BLOB, PLAINTEXT);
    ciphertext[ciphertext.length - 1] ^= 0x01; // the last segment
    ByteArrayOutputStream delivered = new ByteArrayOutputStream();
    try (InputStream in = key.decrypting(new ByteArrayInputStream(ciphertext), BLOB)) {
      assertThatThrownBy(() -> in.transferTo(delivered)).isInstanceOf(BlobIntegrityException.class);
      assertThatThrownBy(() -> in.read(new byte[10])).isInstanceOf(BlobIntegrityException.class);
      assertThatThrownBy(in::read).isInstanceOf(BlobIntegrityException.class);
    }
    // only authentic bytes were delivered: a prefix of the plaintext, whole segments
    byte[] prefix = delivered.toByteArray();
    assertThat(prefix.length).isLessThan(PLAINTEXT.length);
    assertThat(prefix).isEqualTo(Arrays.copyOf(PLAINTEXT, prefix.length));
  }

  @Test
  void aFailingDiskIsAnIoErrorNotTampering() throws IOException {
    byte[] ciphertext = encrypt(key, BLOB, PLAINTEXT);
    InputStream failing = new FilterInputStream(new ByteArrayInputStream(ciphertext)) {
      private int served;

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (served > StudyKey.SEGMENT_BYTES) {
          throw new IOException("disk read error");
        }
        int n = super.read(b, off, len);
        served += Math.max(n, 0);
        return n;
      }
    };
    try (InputStream in = key.decrypting(failing, BLOB)) {
      assertThatThrownBy(() -> in.transferTo(OutputStream.nullOutputStream()))
          .isNotInstanceOf(BlobIntegrityException.class)
          .hasMessage("disk read error");
    }
  }

  @Test
  void blobsAreTheFormatOfTinksKeysetStreamBothWays() throws Exception {
    // Reading uses the data key's own primitive (no key matching); every blob stored so far was
    // written by Tink's keyset-level stream, and what is written now must stay readable by it too.
    StreamingAead keyset = key.dataKeyset().getPrimitive(RegistryConfiguration.get(), StreamingAead.class);
    byte[] associatedData = StudyKey.associatedData(STUDY, BLOB);
    ByteArrayOutputStream byKeyset = new ByteArrayOutputStream();
    try (OutputStream out = keyset.newEncryptingStream(byKeyset, associatedData)) {
      out.write(PLAINTEXT);
    }
    assertThat(decrypt(key, BLOB, byKeyset.toByteArray())).isEqualTo(PLAINTEXT);
    try (InputStream in = keyset.newDecryptingStream(new ByteArrayInputStream(encrypt(key, BLOB, PLAINTEXT)), associatedData)) {
      assertThat(in.readAllBytes()).isEqualTo(PLAINTEXT);
    }
  }

  @Test
  void aDataKeysetOfSeveralKeysStillFindsEachBlobsKey() throws Exception {
    // this server never puts a second key in a data keyset, but one that has two still reads
    StudyKey other = generate(STUDY);
    KeysetHandle both = KeysetHandle.newBuilder()
        .addEntry(KeysetHandle.importKey(key.dataKeyset().getPrimary().getKey()).withRandomId())
        .addEntry(KeysetHandle.importKey(other.dataKeyset().getPrimary().getKey()).withRandomId().makePrimary())
        .build();
    StudyKey twoKeys = new StudyKey(STUDY, key.keyId(), both, key.nameKeyset());
    assertThat(decrypt(twoKeys, BLOB, encrypt(key, BLOB, PLAINTEXT))).isEqualTo(PLAINTEXT);
    assertThat(decrypt(twoKeys, BLOB, encrypt(other, BLOB, PLAINTEXT))).isEqualTo(PLAINTEXT);
    byte[] tampered = encrypt(key, BLOB, PLAINTEXT);
    tampered[100] ^= 0x01;
    assertThatThrownBy(() -> decrypt(twoKeys, BLOB, tampered)).isInstanceOf(BlobIntegrityException.class);
  }

  @Test
  void blobNamesAreKeyedAndDoNotShowTheBlobKey() throws Exception {
    String name = key.storageKey(BLOB);
    assertThat(name).startsWith(key.keyId() + "/").doesNotContain(BLOB).hasSize(32 + 1 + 64);
    assertThat(key.storageKey(BLOB)).isEqualTo(name);
    assertThat(generate(STUDY).storageKey(BLOB)).isNotEqualTo(name);
  }

  static StudyKey generate(String study) {
    try {
      return StudyKey.generate(study, "0123456789abcdef0123456789abcdef");
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] encrypt(StudyKey key, String blobKey, byte[] plaintext) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream encrypting = key.encrypting(out, blobKey)) {
      encrypting.write(plaintext);
    }
    return out.toByteArray();
  }

  static byte[] decrypt(StudyKey key, String blobKey, byte[] ciphertext) throws IOException {
    try (InputStream in = key.decrypting(new ByteArrayInputStream(ciphertext), blobKey)) {
      return in.readAllBytes();
    }
  }

  static byte[] random(int size) {
    byte[] bytes = new byte[size];
    new Random(42).nextBytes(bytes);
    return bytes;
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
