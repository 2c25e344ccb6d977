package io.cortexhub.node.audit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.logging.Level;
import java.util.logging.Logger;

/** File-system chores of {@link AuditLog}: private creation, the lock, setting a torn tail aside. */
final class AuditFiles {
  private static final Logger LOG = Logger.getLogger(AuditLog.class.getName());

  private AuditFiles() {}

  /** Creates the log 0600 (and its directory 0700 if missing); whether it was created now. */
  static boolean createIfMissing(Path file) throws IOException {
    Path dir = file.getParent();
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException e) {
      return false;
    }
    // Make the new directory entry itself durable, or a crash could lose the whole file.
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
    return true;
  }

  /** Locks the log against a second agent (in this JVM or another). */
  static FileLock lock(FileChannel ch, Path file) throws IOException {
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      throw new AuditLogException("audit log " + file + " is in use by another cortex-node process");
    }
    return lock;
  }

  /**
   * Copies the unfinished last line to {@code <file>.torn-<millis>}, cuts it from the log and
   * forces both; returns the copy's file name.
   */
  static String setAsideTornTail(FileChannel ch, Path file, long offset, long length, Clock clock) throws IOException {
    Path aside = file.resolveSibling(file.getFileName() + ".torn-" + clock.millis());
    try (FileChannel out = FileChannel.open(aside, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      long pos = offset;
      long end = offset + length;
      while (pos < end) {
        pos += ch.transferTo(pos, end - pos, out);
      }
      out.force(true);
    }
    ch.truncate(offset);
    ch.force(true);
    LOG.warning("audit log " + file + " ended in an unfinished line (" + length
        + " bytes, a torn write); moved it to " + aside + " and continued after the last complete record");
    return aside.getFileName().toString();
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException e) {
        LOG.log(Level.FINE, "closing audit log channel", e);
      }
    }
  }
}
