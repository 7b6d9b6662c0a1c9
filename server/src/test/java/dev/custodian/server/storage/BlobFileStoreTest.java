package dev.custodian.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The filesystem blob store on real files: atomic writes, no leftovers, keys that stay inside. */
class BlobFileStoreTest {

  @TempDir Path root;

  @Test
  void aBlobIsWrittenReadAndDeleted() throws IOException {
    FileSystemBlobStore store = new FileSystemBlobStore(root);
    store.put("study-1/blob-a", out -> out.write(bytes("hello")));

    assertThat(store.exists("study-1/blob-a")).isTrue();
    try (InputStream in = store.open("study-1/blob-a")) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
    }
    assertThat(store.delete("study-1/blob-a")).isTrue();
    assertThat(store.delete("study-1/blob-a")).isFalse();
    assertThat(store.exists("study-1/blob-a")).isFalse();
    assertThatThrownBy(() -> store.open("study-1/blob-a")).isInstanceOf(BlobNotFoundException.class);
  }

  @Test
  void anInterruptedWriteLeavesNoBlobAndNoTemporaryFile() throws IOException {
    FileSystemBlobStore store = new FileSystemBlobStore(root);
    assertThatThrownBy(() -> store.put("study-1/blob-a", out -> {
      out.write(new byte[300_000]);
      throw new IOException("client went away");
    })).hasMessage("client went away");

    assertThat(store.exists("study-1/blob-a")).isFalse();
    assertThat(filesUnder(root)).isEmpty();
  }

  @Test
  void aFailedReplacementKeepsThePreviousBlobWhole() throws IOException {
    FileSystemBlobStore store = new FileSystemBlobStore(root);
    store.put("s/b", out -> out.write(bytes("first version")));
    assertThatThrownBy(() -> store.put("s/b", out -> {
      out.write(bytes("second"));
      throw new IllegalStateException("boom");
    })).isInstanceOf(IllegalStateException.class);

    try (InputStream in = store.open("s/b")) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("first version");
    }
    assertThat(filesUnder(root)).containsExactly(root.resolve("s/b"));
  }

  @Test
  void temporaryFilesLeftByACrashAreRemovedOnceTheyAreOld() throws IOException {
    FileSystemBlobStore store = new FileSystemBlobStore(root);
    store.put("s/blob", out -> out.write(1));
    Path abandoned = Files.write(root.resolve("s/.blob.0123456789abcdef.tmp"), new byte[] {1, 2, 3});
    Files.setLastModifiedTime(abandoned, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(7200)));
    Path inProgress = Files.write(root.resolve("s/.blob.fedcba9876543210.tmp"), new byte[] {4});

    assertThat(store.removeAbandonedTemporaryFiles(java.time.Duration.ofHours(1))).isEqualTo(1);
    assertThat(filesUnder(root)).containsExactlyInAnyOrder(root.resolve("s/blob"), inProgress);
  }

  @Test
  void blobsAndTheirDirectoriesAreReadableByTheOwnerOnly() throws IOException {
    FileSystemBlobStore store = new FileSystemBlobStore(root.resolve("blobs"));
    store.put("s/b", out -> out.write(1));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("blobs/s/b")))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("blobs/s")))).isEqualTo("rwx------");
  }

  @Test
  void deleteAllRemovesAPrefixAndCountsItsBlobs() throws IOException {
    FileSystemBlobStore store = new FileSystemBlobStore(root);
    store.put("s1/a", out -> out.write(1));
    store.put("s1/b", out -> out.write(2));
    store.put("s2/a", out -> out.write(3));

    assertThat(store.deleteAll("s1")).isEqualTo(2);
    assertThat(store.exists("s1/a")).isFalse();
    assertThat(store.exists("s2/a")).isTrue();
    assertThat(Files.exists(root.resolve("s1"))).isFalse();
    assertThat(store.deleteAll("s1")).isZero();
  }

  @Test
  void keysCannotLeaveTheStoreOrNameTemporaryFiles() throws IOException {
    FileSystemBlobStore store = new FileSystemBlobStore(root);
    for (String bad : List.of("../x", "a/../../x", "/etc/passwd", ".hidden", "a/.tmp", "a//b", "", "a/", "a\\b", "x".repeat(513))) {
      assertThatThrownBy(() -> store.put(bad, out -> {})).as(bad).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store.open(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static List<Path> filesUnder(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).toList();
    }
  }
}
