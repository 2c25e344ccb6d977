package io.cortexhub.node.output;

/**
 * The disk space one node may use for spilled output, shared by all of its tasks.
 *
 * <p>Why: the per-task memory bound alone lets a task that prints gigabytes while the hub is
 * unreachable fill the node's disk. Spill files reserve space here before writing and give it back
 * when their segment is deleted; when the budget is exhausted, buffers stop accepting chunks for disk
 * and their producers wait in {@link OutputBuffer#awaitRoom()} (backpressure on the task's pipes).
 *
 * <p>Contract: {@link #used()} never exceeds {@link #limit()}; every change that may let a waiting
 * producer continue bumps a version and wakes all waiters, so a producer that saw version {@code v}
 * before checking for room cannot miss the release that follows ({@link #awaitChange(long)}).
 *
 * <p>Thread-safe.
 */
public final class SpoolBudget {
  /** The daemon's default: 1 GiB of spilled output per node. */
  public static final long DEFAULT_LIMIT_BYTES = 1L << 30;

  private static final long MIN_SEGMENT = 64 * 1024;
  private static final long MAX_SEGMENT = 8 * 1024 * 1024;

  private final long limit;
  private long used;
  private long version;

  /** @param limitBytes bytes of spilled output allowed on disk; 0 means never spill */
  public SpoolBudget(long limitBytes) {
    if (limitBytes < 0) {
      throw new IllegalArgumentException("spool budget must not be negative, got " + limitBytes);
    }
    this.limit = limitBytes;
  }

  public long limit() {
    return limit;
  }

  public synchronized long used() {
    return used;
  }

  /** Takes {@code bytes} of the budget if they are all free; otherwise takes nothing. */
  public synchronized boolean tryReserve(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must not be negative");
    }
    if (bytes > limit - used) {
      return false;
    }
    used += bytes;
    return true;
  }

  /** Gives back space taken by {@link #tryReserve} and wakes waiting producers. */
  public synchronized void release(long bytes) {
    if (bytes < 0 || bytes > used) {
      throw new IllegalStateException("releasing " + bytes + " bytes with " + used + " in use");
    }
    used -= bytes;
    signalLocked();
  }

  /** Something other than a release may have made room (acks freed memory): wake waiters. */
  public synchronized void signal() {
    signalLocked();
  }

  /** The current version; read it before checking for room, then pass it to awaitChange. */
  public synchronized long version() {
    return version;
  }

  /** Blocks until the version differs from {@code seen}. */
  public synchronized void awaitChange(long seen) throws InterruptedException {
    while (version == seen) {
      wait();
    }
  }

  /**
   * Size at which a spill file starts a new segment: small enough that acknowledged output gives its
   * space back soon (a segment is deleted only when all of it has been read back), large enough to
   * keep the number of files low.
   */
  long segmentBytes() {
    return Math.max(MIN_SEGMENT, Math.min(MAX_SEGMENT, limit / 16));
  }

  private void signalLocked() {
    version++;
    notifyAll();
  }
}
