package dev.custodian.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custodian.server.support.ServerTestBase;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Encrypted blobs on the running server's stack: real files in its blob directory, data keys in
 * its PostgreSQL, the KEK in its keystore.
 */
class BlobEncryptionTest extends ServerTestBase {

  static final Path CT_SMALL = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm");
  /** Attributes of CT_small.dcm (as dcmdump shows them) that must never be found on disk in plaintext. */
  static final List<String> CT_SMALL_IDENTIFIERS = List.of(
      "CompressedSamples^CT1", // PatientName
      "1.3.6.1.4.1.5962.1.2.1.20040119072730.12322", // StudyInstanceUID
      "1.3.6.1.4.1.5962.1.3.1.1.20040119072730.12322", // SeriesInstanceUID
      "1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322"); // SOPInstanceUID
  static final String CT_SMALL_STUDY = "1.3.6.1.4.1.5962.1.2.1.20040119072730.12322";
  static final String CT_SMALL_SOP = "1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322";

  @Autowired EncryptedBlobs blobs;
  @Autowired StudyKeys keys;
  @Autowired StorageProperties storage;

  @Test
  void aRealDicomFileRoundTripsAndNeitherItsPatientNameNorItsUidsReachTheDisk() throws IOException {
    byte[] original = Files.readAllBytes(ctSmall());
    for (String identifier : CT_SMALL_IDENTIFIERS) {
      assertThat(BlobCipherTest.indexOf(original, ascii(identifier))).as("the file holds %s", identifier).isNotNegative();
    }

    StoredBlob stored;
    try (InputStream in = Files.newInputStream(ctSmall())) {
      stored = blobs.store(CT_SMALL_STUDY, CT_SMALL_SOP, in);
    }
    assertThat(stored.size()).isEqualTo(original.length);
    assertThat(stored.sha256()).isEqualTo(sha256(original));
    try (InputStream in = blobs.open(CT_SMALL_STUDY, CT_SMALL_SOP)) {
      assertThat(in.readAllBytes()).isEqualTo(original);
    }
    assertThat(blobs.exists(CT_SMALL_STUDY, CT_SMALL_SOP)).isTrue();

    List<Path> scanned = scanForPlaintext(original);
    assertThat(scanned).as("blob files scanned").isNotEmpty();
  }

  @Test
  void whileABlobIsWrittenItsTemporaryFileHoldsCiphertextOnly() throws IOException {
    byte[] original = Files.readAllBytes(ctSmall());
    String study = newStudyUid();
    long[] temporaryBytes = {0};
    blobs.store(study, "instance", out -> {
      for (int i = 0; i < 8; i++) { // several 64 KiB segments, so ciphertext has reached the temporary file
        out.write(original);
      }
      out.flush();
      for (Path file : scanForPlaintext(original)) {
        if (AtomicFiles.isTemporary(file)) {
          temporaryBytes[0] += Files.size(file);
        }
      }
    });
    assertThat(temporaryBytes[0]).as("ciphertext in the temporary file, scanned mid-write").isGreaterThan(128 * 1024);
  }

  @Test
  void storingAgainReplacesTheBlobAndUnknownOnesAreClearlyMissing() throws IOException {
    String study = newStudyUid();
    blobs.store(study, "i1", stream("first"));
    StoredBlob second = blobs.store(study, "i1", stream("second"));
    assertThat(second.size()).isEqualTo(6);
    assertThat(read(study, "i1")).isEqualTo("second");
    assertThat(BlobFileStoreTest.filesUnder(studyDirectory(study))).hasSize(1);

    assertThatThrownBy(() -> blobs.open(study, "i2")).isInstanceOf(BlobNotFoundException.class);
    assertThat(blobs.exists(study, "i2")).isFalse();
    assertThatThrownBy(() -> blobs.open(newStudyUid(), "i1"))
        .isInstanceOfSatisfying(StudyKeyUnavailableException.class,
            e -> assertThat(e.reason()).isEqualTo(StudyKeyUnavailableException.Reason.UNKNOWN));
    assertThat(blobs.delete(study, "i1")).isTrue();
    assertThat(blobs.exists(study, "i1")).isFalse();
  }

  @Test
  void aStudysBlobsAreStoredAndReadUnderOneUnwrappingOfItsKey() throws IOException {
    String study = newStudyUid();
    EncryptedBlobs.StudyBlobs writing = blobs.forWriting(study);
    for (int i = 0; i < 50; i++) {
      writing.store("instance-" + i, stream("slice " + i));
    }
    long started = System.nanoTime();
    EncryptedBlobs.StudyBlobs reading = blobs.forReading(study);
    for (int i = 0; i < 50; i++) {
      try (InputStream in = reading.open("instance-" + i)) {
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("slice " + i);
      }
    }
    long oneUnwrap = System.nanoTime() - started;
    started = System.nanoTime();
    for (int i = 0; i < 50; i++) {
      assertThat(read(study, "instance-" + i)).isEqualTo("slice " + i);
    }
    long unwrapEach = System.nanoTime() - started;
    System.out.printf("50 small blobs of one study: %.2f ms each with one key unwrapping, %.2f ms each unwrapping per blob%n",
        oneUnwrap / 50e6, unwrapEach / 50e6);
    assertThat(reading.exists("instance-49")).isTrue();
    assertThat(reading.exists("instance-50")).isFalse();
    assertThat(writing.studyUid()).isEqualTo(study);
  }

  @Test
  void aFlippedByteOrATruncationFailsWithOurIntegrityException() throws IOException {
    String study = newStudyUid();
    byte[] content = BlobCipherTest.random(300_000);
    blobs.store(study, "instance", new java.io.ByteArrayInputStream(content));
    Path file = onlyFileOf(study);
    byte[] ciphertext = Files.readAllBytes(file);

    try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
      raw.seek(150_000);
      int b = raw.read();
      raw.seek(150_000);
      raw.write(b ^ 0x40);
    }
    assertThatThrownBy(() -> read(study, "instance")).isInstanceOf(BlobIntegrityException.class);

    Files.write(file, java.util.Arrays.copyOf(ciphertext, ciphertext.length - 100));
    assertThatThrownBy(() -> read(study, "instance")).isInstanceOf(BlobIntegrityException.class);

    Files.write(file, ciphertext);
    assertThat(readBytes(study, "instance")).isEqualTo(content);
  }

  @Test
  void aBlobMovedToAnotherStudyOrBlobKeyFailsAuthentication() throws IOException {
    String studyA = newStudyUid();
    String studyB = newStudyUid();
    blobs.store(studyA, "instance", stream("study A's image"));
    blobs.store(studyB, "instance", stream("study B's image"));
    blobs.store(studyA, "other", stream("study A's other image"));

    // B's file replaced by A's: another data key and other associated data
    Path fileA = onlyFileOfBlob(studyA, "instance");
    Files.copy(fileA, onlyFileOfBlob(studyB, "instance"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(() -> read(studyB, "instance")).isInstanceOf(BlobIntegrityException.class);
    // within study A, "instance" copied over "other": same key, other associated data
    Files.copy(fileA, onlyFileOfBlob(studyA, "other"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(() -> read(studyA, "other")).isInstanceOf(BlobIntegrityException.class);
    assertThat(read(studyA, "instance")).isEqualTo("study A's image");
  }

  @Test
  void anInterruptedStoreLeavesNoBlobAndNoTemporaryFile() throws IOException {
    String study = newStudyUid();
    InputStream breaksMidway = new InputStream() {
      private int served;

      @Override
      public int read() {
        throw new UnsupportedOperationException();
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (served > 1_000_000) {
          throw new IOException("connection reset");
        }
        served += len;
        return len;
      }
    };
    assertThatThrownBy(() -> blobs.store(study, "instance", breaksMidway)).hasMessage("connection reset");
    assertThat(blobs.exists(study, "instance")).isFalse();
    assertThat(BlobFileStoreTest.filesUnder(studyDirectory(study))).isEmpty();
  }

  @Test
  void twoHundredMegabytesStreamThroughWithFlatHeap() throws IOException {
    String study = newStudyUid();
    long size = 200L * 1024 * 1024;
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long baseline = usedHeapAfterGc(memory);
    long[] peak = {0};
    GC_NANOS[0] = 0;

    long started = System.nanoTime();
    StoredBlob stored = blobs.store(study, "large", new GeneratedStream(size, () -> peak[0] = Math.max(peak[0], usedHeapAfterGc(memory) - baseline)));
    double writeSeconds = (System.nanoTime() - started - GC_NANOS[0]) / 1e9;
    GC_NANOS[0] = 0;
    assertThat(stored.size()).isEqualTo(size);

    started = System.nanoTime();
    MessageDigest digest = sha256Digest();
    try (InputStream in = new DigestInputStream(blobs.open(study, "large"), digest)) {
      byte[] buffer = new byte[64 * 1024];
      long total = 0;
      int n;
      while ((n = in.read(buffer)) >= 0) {
        total += n;
        if (total % (50L * 1024 * 1024) < n) {
          peak[0] = Math.max(peak[0], usedHeapAfterGc(memory) - baseline);
        }
      }
      assertThat(total).isEqualTo(size);
    }
    double readSeconds = (System.nanoTime() - started - GC_NANOS[0]) / 1e9;
    assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(stored.sha256());
    System.out.printf("200 MiB encrypted blob: store %.0f MiB/s, open+read %.0f MiB/s (SHA-256, fsync and disk included; the heap probes' GC time excluded), peak heap growth %d KiB%n",
        200 / writeSeconds, 200 / readSeconds, peak[0] / 1024);
    assertThat(peak[0]).as("heap growth while streaming 200 MiB").isLessThan(64L * 1024 * 1024);
    blobs.delete(study, "large");
  }

  // --- helpers

  /** Asserts no identifier of CT_small, and no 64-byte run of its bytes, is in any file under the blob and key directories. */
  private List<Path> scanForPlaintext(byte[] original) throws IOException {
    List<Path> scanned = new ArrayList<>();
    byte[] window = java.util.Arrays.copyOfRange(original, original.length - 4096, original.length - 4096 + 64);
    for (Path root : List.of(storage.blobDir(), storage.keystore().toAbsolutePath().getParent())) {
      try (Stream<Path> walk = Files.walk(root)) {
        for (Path path : walk.toList()) {
          for (String identifier : CT_SMALL_IDENTIFIERS) {
            assertThat(path.toString()).as("path name").doesNotContain(identifier);
          }
          if (!Files.isRegularFile(path)) {
            continue;
          }
          byte[] content;
          try {
            content = Files.readAllBytes(path);
          } catch (java.nio.file.NoSuchFileException renamedMeanwhile) {
            continue;
          }
          scanned.add(path);
          for (String identifier : CT_SMALL_IDENTIFIERS) {
            assertThat(BlobCipherTest.indexOf(content, ascii(identifier))).as("%s in %s", identifier, path).isNegative();
            assertThat(BlobCipherTest.indexOf(content, identifier.getBytes(StandardCharsets.UTF_16LE))).isNegative();
          }
          assertThat(BlobCipherTest.indexOf(content, window)).as("pixel data in %s", path).isNegative();
        }
      }
    }
    return scanned;
  }

  /** pydicom's CT_small.dcm; like the DICOM corpus tests, skipped only with -Dcustodian.dicom.corpus=optional. */
  static Path ctSmall() {
    if (!Files.isRegularFile(CT_SMALL)) {
      String missing = "missing " + CT_SMALL + " (apt-get install python3-pydicom)";
      if ("optional".equals(System.getProperty("custodian.dicom.corpus"))) {
        org.junit.jupiter.api.Assumptions.abort(missing + "; skipped because -Dcustodian.dicom.corpus=optional");
      }
      org.junit.jupiter.api.Assertions.fail(missing + ". Install it, or run with -Dcustodian.dicom.corpus=optional to skip this test.");
    }
    return CT_SMALL;
  }

  static String newStudyUid() {
    UUID uuid = UUID.randomUUID();
    BigInteger value = new BigInteger(1, java.nio.ByteBuffer.allocate(16)
        .putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits()).array());
    return "2.25." + value;
  }

  Path studyDirectory(String study) throws IOException {
    return storage.blobDir().resolve(keys.forWriting(study).keyId());
  }

  Path onlyFileOf(String study) throws IOException {
    List<Path> files = BlobFileStoreTest.filesUnder(studyDirectory(study));
    assertThat(files).hasSize(1);
    return files.get(0);
  }

  Path onlyFileOfBlob(String study, String blobKey) throws IOException {
    return storage.blobDir().resolve(keys.forReading(study).storageKey(blobKey));
  }

  String read(String study, String blobKey) throws IOException {
    return new String(readBytes(study, blobKey), StandardCharsets.UTF_8);
  }

  byte[] readBytes(String study, String blobKey) throws IOException {
    try (InputStream in = blobs.open(study, blobKey)) {
      return in.readAllBytes();
    }
  }

  static InputStream stream(String content) {
    return new java.io.ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(sha256Digest().digest(bytes));
  }

  static MessageDigest sha256Digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Time spent in {@link #usedHeapAfterGc}, so throughput figures can leave it out. */
  private static final long[] GC_NANOS = {0};

  static long usedHeapAfterGc(MemoryMXBean memory) {
    long started = System.nanoTime();
    System.gc();
    long used = memory.getHeapMemoryUsage().getUsed();
    GC_NANOS[0] += System.nanoTime() - started;
    return used;
  }

  /** {@code size} pseudo-random bytes generated as they are read; calls {@code probe} every 50 MiB. */
  static final class GeneratedStream extends InputStream {
    private final long size;
    private final Runnable probe;
    private final java.util.SplittableRandom random = new java.util.SplittableRandom(7);
    private long served;

    GeneratedStream(long size, Runnable probe) {
      this.size = size;
      this.probe = probe;
    }

    @Override
    public int read() {
      throw new UnsupportedOperationException();
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (served >= size) {
        return -1;
      }
      int n = (int) Math.min(len, size - served);
      for (int i = 0; i < n; i += 8) {
        long r = random.nextLong();
        for (int j = 0; j < 8 && i + j < n; j++) {
          b[off + i + j] = (byte) (r >>> (8 * j));
        }
      }
      long before = served;
      served += n;
      if (before / (50L * 1024 * 1024) != served / (50L * 1024 * 1024)) {
        probe.run();
      }
      return n;
    }
  }
}
