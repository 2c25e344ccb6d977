package io.cortexhub.node.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Replaces a file's content so that every reader sees either the old or the new file: the new bytes
 * go to a temporary file in the same directory, which is fsynced and then renamed over the target
 * ({@code renameat}, atomic on POSIX), and the directory is fsynced so the rename survives a crash.
 *
 * <p>The replacement keeps the old file's permission bits, and its owner and group when the agent
 * may set them (as root). A crash can leave a temporary file named {@code .cortex-<pid>-<n>.tmp}
 * behind; it never replaces anything. Thread-safe (the counter is atomic; callers hold the target's
 * lock).
 */
final class AtomicReplace {
  private static final Logger LOG = Logger.getLogger(AtomicReplace.class.getName());
  private static final AtomicLong COUNTER = new AtomicLong();
  private static final long PID = ProcessHandle.current().pid();

  private AtomicReplace() {}

  /**
   * Writes {@code data} as the new content of {@code name} in {@code dir}.
   *
   * @param previous the attributes of the file being replaced, if there is one
   */
  static void replace(OpenDir dir, String name, ByteBuffer data, Optional<PosixFileAttributes> previous, FsTask task)
      throws IOException {
    String tmp = null;
    FileChannel ch = null;
    for (int attempt = 0; ch == null; attempt++) {
      tmp = ".cortex-" + PID + "-" + COUNTER.incrementAndGet() + ".tmp";
      try {
        ch = dir.createNew(tmp);
      } catch (FileAlreadyExistsException e) {
        if (attempt >= 8) {
          throw e; // someone is squatting on our names; give up rather than loop
        }
      }
    }
    boolean moved = false;
    try {
      try (FileChannel out = ch) {
        // Ownership first, so the one fsync below makes data and metadata durable together.
        if (previous.isPresent()) {
          keepOwnership(dir.view(tmp), previous.get(), dir, name);
        }
        while (data.hasRemaining()) {
          out.write(data);
        }
        out.force(true);
      }
      // Last chance to stop: after the rename the change is made and is reported as such.
      task.checkpoint();
      dir.move(tmp, dir, name);
      moved = true;
      task.committed();
      dir.syncAfterChange();
    } finally {
      if (!moved) {
        try {
          dir.deleteFile(tmp);
        } catch (IOException e) {
          LOG.log(Level.WARNING, "cannot remove temporary file " + dir.pathOf(tmp) + ": " + e);
        }
      }
    }
  }

  private static void keepOwnership(PosixFileAttributeView tmp, PosixFileAttributes old, OpenDir dir, String name)
      throws IOException {
    PosixFileAttributes now = tmp.readAttributes();
    try {
      if (!now.owner().equals(old.owner())) {
        tmp.setOwner(old.owner());
      }
      if (!now.group().equals(old.group())) {
        tmp.setGroup(old.group());
      }
    } catch (IOException e) {
      // Only root may give a file away; an unprivileged agent's files are its own anyway.
      LOG.log(Level.FINE, "cannot keep owner of " + dir.pathOf(name) + ": " + e);
    }
    // Last: chown clears set-id bits, and the JDK opens the file to change its mode.
    tmp.setPermissions(old.permissions());
  }
}
