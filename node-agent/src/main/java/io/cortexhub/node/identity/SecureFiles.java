package io.cortexhub.node.identity;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Private files and directories for credentials: directories {@code 0700}, files {@code 0600}, and
 * writes that are atomic (temp file in the same directory, fsync, rename, fsync of the directory),
 * so a crash leaves either the old file or the new one, never half of one.
 *
 * <p>On file systems without POSIX permissions (Windows) the modes are skipped; the directory's ACL
 * is then the operator's to set. Stateless; thread-safe.
 */
public final class SecureFiles {
  static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

  private SecureFiles() {}

  static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  /**
   * Creates {@code dir} (and parents) if missing and makes it {@code 0700}, tightening an existing
   * directory that is more open.
   */
  public static Path privateDirectory(Path dir) throws IOException {
    if (Files.isSymbolicLink(dir)) {
      throw new IOException(dir + " is a symbolic link; give the real directory");
    }
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      if (posix()) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
      } else {
        Files.createDirectories(dir);
      }
    }
    if (posix() && !Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).equals(DIR_MODE)) {
      Files.setPosixFilePermissions(dir, DIR_MODE);
    }
    return dir;
  }

  /** Replaces {@code file} with {@code bytes} atomically; the file ends up {@code 0600}. */
  public static void writeAtomically(Path file, byte[] bytes) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    if (posix()) {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(FILE_MODE));
    } else {
      Files.createFile(tmp);
    }
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    forceDirectory(dir);
  }

  /**
   * Whether group or others may read or write {@code file}; such a file is tightened to {@code
   * 0600} by {@link #tighten}.
   */
  static boolean tooOpen(Path file) throws IOException {
    return posix() && !FILE_MODE.containsAll(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS));
  }

  static void tighten(Path file) throws IOException {
    if (posix()) {
      Files.setPosixFilePermissions(file, FILE_MODE);
    }
  }

  private static void forceDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Not possible on every platform (Windows); the rename itself is atomic there.
    }
  }
}
