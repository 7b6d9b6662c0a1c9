package dev.custodian.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.junit.jupiter.api.Test;

/**
 * Prints what the blob encryption costs in CPU alone (memory to memory, no disk, no digest):
 * encrypt and decrypt MiB/s of a study key, best of a few rounds. No threshold: shared CI
 * machines vary too much; the figure goes into the README.
 */
class BlobThroughputTest {

  private static final int SIZE = 64 * 1024 * 1024;

  @Test
  void encryptionAndDecryptionThroughput() throws IOException {
    StudyKey key = BlobCipherTest.generate("1.2.3");
    byte[] plaintext = BlobCipherTest.random(SIZE);
    byte[] buffer = new byte[64 * 1024];
    double bestEncrypt = 0;
    double bestDecrypt = 0;
    byte[] ciphertext = null;
    for (int round = 0; round < 4; round++) {
      ByteArrayOutputStream sink = new ByteArrayOutputStream(SIZE + SIZE / 100);
      long started = System.nanoTime();
      try (OutputStream out = key.encrypting(sink, "blob")) {
        for (int off = 0; off < SIZE; off += buffer.length) {
          out.write(plaintext, off, buffer.length);
        }
      }
      bestEncrypt = Math.max(bestEncrypt, mibPerSecond(started));
      ciphertext = sink.toByteArray();

      started = System.nanoTime();
      long total = 0;
      try (InputStream in = key.decrypting(new ByteArrayInputStream(ciphertext), "blob")) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          total += n;
        }
      }
      bestDecrypt = Math.max(bestDecrypt, mibPerSecond(started));
      assertThat(total).isEqualTo(SIZE);
    }
    System.out.printf("Blob encryption (64 KiB segments, AES-256-GCM, memory to memory): encrypt %.0f MiB/s, decrypt %.0f MiB/s;"
        + " ciphertext overhead %.3f%%%n", bestEncrypt, bestDecrypt, 100.0 * (ciphertext.length - SIZE) / SIZE);
  }

  private static double mibPerSecond(long started) {
    return (SIZE / 1048576.0) / ((System.nanoTime() - started) / 1e9);
  }
}
