package io.cortexhub.node.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Advisory locks that keep two changes of the same file from interleaving, whether they come from
 * two tasks in this agent or from two agent processes sharing a workspace.
 *
 * <p>Two layers, because {@link FileChannel#lock} is held per process, not per thread: an in-process
 * striped lock serialises this JVM's tasks, and an exclusive {@code fcntl} lock on a lock file
 * serialises processes. The lock file cannot be the target itself, since an atomic write replaces
 * the target's inode; it lives in {@code <root>/.cortex-locks/<hash of the path>.lock}, opened
 * without following links. Holding the stripe while the lock file is open guarantees one channel per
 * lock file in this JVM (closing a second channel on the same file would silently drop the lock).
 * Lock files are never deleted: deleting one while another process waits on it would let two
 * holders lock two different inodes. Locks are always taken in one global order (stripes by index,
 * files by name) so two tasks locking two paths cannot deadlock.
 *
 * <p>There is one instance per JVM ({@link #JVM}): the JDK keeps file locks in one table per JVM and
 * throws {@code OverlappingFileLockException} instead of waiting when two channels of the same JVM
 * lock the same file, so the stripes that prevent that must be shared by every runner. Thread-safe.
 */
final class FileLocks {
  /** The locks of this JVM; every runner uses these. */
  static final FileLocks JVM = new FileLocks();

  private static final int STRIPES = 64;

  private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

  private FileLocks() {
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new ReentrantLock();
    }
  }

  /** Locks held for one operation; {@link #close} releases them all. */
  final class Held implements AutoCloseable {
    private final List<ReentrantLock> stripesHeld = new ArrayList<>();
    private final List<FileChannel> channels = new ArrayList<>();

    @Override
    public void close() throws IOException {
      IOException failure = null;
      // Closing the channel releases its lock; do it before the stripe so no thread of ours opens
      // the same lock file while this channel is still open.
      for (FileChannel ch : channels) {
        try {
          ch.close();
        } catch (IOException e) {
          failure = failure == null ? e : failure;
        }
      }
      for (int i = stripesHeld.size() - 1; i >= 0; i--) {
        stripesHeld.get(i).unlock();
      }
      if (failure != null) {
        throw failure;
      }
    }
  }

  /**
   * Takes the locks of every target, blocking until they are free. Interruptible: an interrupt
   * (the task being stopped) releases what was taken and throws.
   */
  Held acquire(List<Target> targets) throws IOException, InterruptedException {
    TreeMap<String, Target> byFile = new TreeMap<>();
    TreeSet<Integer> stripeIndexes = new TreeSet<>();
    for (Target t : targets) {
      String file = lockFileName(t);
      byFile.put(file, t);
      stripeIndexes.add(Math.floorMod(file.hashCode(), STRIPES));
    }
    Held held = new Held();
    try {
      for (int i : stripeIndexes) {
        stripes[i].lockInterruptibly();
        held.stripesHeld.add(stripes[i]);
      }
      for (var e : byFile.entrySet()) {
        FileChannel ch = openLockFile(e.getValue(), e.getKey());
        held.channels.add(ch);
        FileLock lock = ch.lock();
        if (!lock.isValid()) {
          throw new IOException("lock on " + e.getKey() + " is not valid");
        }
      }
      return held;
    } catch (IOException | InterruptedException | RuntimeException e) {
      try {
        held.close();
      } catch (IOException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  static String lockFileName(Target t) {
    byte[] key = t.lockKey().getBytes(StandardCharsets.UTF_8);
    return Sha256.hex(key).substring(0, 40) + ".lock";
  }

  private static FileChannel openLockFile(Target t, String file) throws IOException {
    try (OpenDir root = OpenDir.openRoot(t.rootReal())) {
      Optional<PosixFileAttributes> dir = root.attributes(WorkspaceRoots.LOCK_DIR);
      if (dir.isEmpty()) {
        root.mkdir(WorkspaceRoots.LOCK_DIR);
      }
      try (OpenDir locks = root.child(WorkspaceRoots.LOCK_DIR)) {
        Optional<PosixFileAttributes> existing = locks.attributes(file);
        if (existing.isPresent()) {
          locks.requireKind(file, existing.get(), OpenDir.Kind.FILE);
          return locks.open(file, existing.get(), Set.of(StandardOpenOption.WRITE));
        }
        try {
          return locks.createNew(file);
        } catch (FileAlreadyExistsException raced) {
          // Another process created it in between: open theirs.
          PosixFileAttributes a = locks.attributes(file).orElseThrow(() -> raced);
          locks.requireKind(file, a, OpenDir.Kind.FILE);
          return locks.open(file, a, Set.of(StandardOpenOption.WRITE));
        }
      }
    }
  }
}
