package dev.custodian.server.storage;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Writes files so that they are either there completely or not at all: the bytes go to a temporary
 * name in the same directory, are forced to disk, and the file is renamed over the target, then
 * the directory is forced. Files and directories are readable by their owner only (on POSIX).
 */
final class AtomicFiles {

  /** Temporary files start with this (blob keys never do) and end with {@link #TEMP_SUFFIX}. */
  static final String TEMP_PREFIX = ".";

  static final String TEMP_SUFFIX = ".tmp";

  private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  private static final SecureRandom RANDOM = new SecureRandom();

  private AtomicFiles() {}

  static void write(Path target, BlobStore.BlobWriter writer) throws IOException {
    Path directory = target.toAbsolutePath().getParent();
    createPrivateDirectories(directory);
    byte[] suffix = new byte[8];
    RANDOM.nextBytes(suffix);
    Path temp = directory.resolve(
        TEMP_PREFIX + target.getFileName() + "." + HexFormat.of().formatHex(suffix) + TEMP_SUFFIX);
    FileChannel channel = FileChannel.open(
        temp, new java.util.HashSet<>(java.util.List.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)),
        privateFile());
    try {
      OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
      writer.writeTo(new FilterOutputStream(out) {
        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
          flush(); // the writer may close; the file is closed here, after it is forced
        }
      });
      out.flush();
      channel.force(true);
      channel.close();
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException | Error e) {
      closeQuietly(channel);
      try {
        Files.deleteIfExists(temp);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    forceDirectory(directory);
  }

  /** Creates a directory and its missing parents, owner-only, and makes the new entries durable. */
  static void createPrivateDirectories(Path directory) throws IOException {
    if (Files.isDirectory(directory)) {
      return;
    }
    Path parent = directory.toAbsolutePath().getParent();
    if (parent != null) {
      createPrivateDirectories(parent);
    }
    try {
      if (POSIX) {
        Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectory(directory);
      }
    } catch (java.nio.file.FileAlreadyExistsException raced) {
      return;
    }
    if (parent != null) {
      forceDirectory(parent);
    }
  }

  /** Makes a directory's entries (a rename, a new file) durable; a no-op where that is unsupported. */
  static void forceDirectory(Path directory) {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException | UnsupportedOperationException notSupported) {
      // some platforms cannot open directories; the rename itself is still atomic
    }
  }

  static boolean isTemporary(Path file) {
    String name = file.getFileName().toString();
    return name.startsWith(TEMP_PREFIX) && name.endsWith(TEMP_SUFFIX);
  }

  private static FileAttribute<?>[] privateFile() {
    return POSIX
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
        : new FileAttribute<?>[0];
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // the write already failed; that failure is the one to report
    }
  }
}
