package dev.custodian.server.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Blobs as files under one directory (by default {@code <data dir>/blobs}): key {@code a/b} is the
 * file {@code <root>/a/b}. Writes are atomic ({@link AtomicFiles}); a crash mid-write can leave a
 * temporary file (named {@code .<name>.<random>.tmp}, ciphertext only), never a partial blob; the
 * server removes those at start ({@link #removeAbandonedTemporaryFiles}).
 */
public final class FileSystemBlobStore implements BlobStore {

  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*");
  private static final int MAX_KEY_LENGTH = 512;

  private final Path root;

  public FileSystemBlobStore(Path root) throws IOException {
    this.root = root.toAbsolutePath().normalize();
    AtomicFiles.createPrivateDirectories(this.root);
  }

  public Path root() {
    return root;
  }

  @Override
  public void put(String key, BlobWriter writer) throws IOException {
    AtomicFiles.write(resolve(key), writer);
  }

  @Override
  public InputStream open(String key) throws IOException {
    Path file = resolve(key);
    try {
      return Files.newInputStream(file);
    } catch (NoSuchFileException e) {
      throw new BlobNotFoundException("No blob " + key);
    }
  }

  @Override
  public boolean exists(String key) {
    return Files.isRegularFile(resolve(key));
  }

  @Override
  public boolean delete(String key) throws IOException {
    Path file = resolve(key);
    if (Files.isDirectory(file)) {
      return false;
    }
    boolean deleted = Files.deleteIfExists(file);
    if (deleted) {
      AtomicFiles.forceDirectory(file.getParent());
    }
    return deleted;
  }

  @Override
  public int deleteAll(String prefix) throws IOException {
    Path directory = resolve(prefix);
    if (!Files.isDirectory(directory)) {
      return 0;
    }
    List<Path> entries;
    try (Stream<Path> walk = Files.walk(directory)) {
      entries = walk.sorted(Comparator.reverseOrder()).toList();
    }
    int blobs = 0;
    for (Path entry : entries) {
      if (Files.isRegularFile(entry) && !AtomicFiles.isTemporary(entry)) {
        blobs++;
      }
      Files.deleteIfExists(entry);
    }
    AtomicFiles.forceDirectory(directory.getParent());
    return blobs;
  }

  /**
   * Deletes the temporary files that writes interrupted by a crash left behind and that are older
   * than {@code age} (younger ones may belong to a write in progress, on this node or another one
   * sharing the directory). They hold ciphertext only; this only reclaims space. Returns how many.
   */
  public int removeAbandonedTemporaryFiles(Duration age) throws IOException {
    FileTime cutoff = FileTime.from(Instant.now().minus(age));
    List<Path> abandoned;
    try (Stream<Path> walk = Files.walk(root)) {
      abandoned = walk.filter(AtomicFiles::isTemporary).toList();
    }
    int removed = 0;
    for (Path file : abandoned) {
      try {
        if (Files.isRegularFile(file) && Files.getLastModifiedTime(file).compareTo(cutoff) < 0 && Files.deleteIfExists(file)) {
          removed++;
        }
      } catch (NoSuchFileException renamedMeanwhile) {
        // its write finished after all
      }
    }
    return removed;
  }

  private Path resolve(String key) {
    if (key == null || key.length() > MAX_KEY_LENGTH || !KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("Not a blob key: " + key);
    }
    Path file = root.resolve(key).normalize();
    if (!file.startsWith(root) || file.equals(root)) {
      throw new IllegalArgumentException("Not a blob key: " + key);
    }
    return file;
  }
}
