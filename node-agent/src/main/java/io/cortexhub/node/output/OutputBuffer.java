package io.cortexhub.node.output;

import com.google.protobuf.ByteString;
import io.cortexhub.proto.node.v1.BinaryChunk;
import io.cortexhub.proto.node.v1.NodeFrame;
import io.cortexhub.proto.node.v1.OutputChunk;
import io.cortexhub.proto.node.v1.OutputStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Optional;

/**
 * The unacknowledged output of one task, numbered 1, 2, 3, ... in the order it was produced.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>{@link #appendOutput} and {@link #appendBinary} assign the next seq (shared by stdout,
 *       stderr and binary chunks), never block and never drop a chunk of a live buffer.
 *   <li>Chunks are held in three places, always in seq order: the <em>window</em> in memory (at most
 *       {@code memoryLimitBytes}, plus at most one chunk so progress is always possible), then the
 *       spill file on disk (within the node's shared {@link SpoolBudget}), then a small
 *       <em>held-back</em> queue in memory for chunks that arrived when both were full.
 *   <li>While anything is held back the buffer is <em>congested</em>: producers must call {@link
 *       #awaitRoom()} before reading more from the task, which blocks until acknowledgements (of
 *       this task, or of any task sharing the budget) make room. Because each producer appends at
 *       most one chunk between waits, the held-back queue stays at a chunk or two per producer.
 *   <li>{@link #chunk(long)} serves any seq between {@code ackedSeq + 1} and the end of the window.
 *       Because the sender only sends what is in the window, the hub can never acknowledge a chunk
 *       that is still on disk or held back.
 *   <li>{@link #ack(long)} is cumulative and idempotent; an ack below the current one is ignored.
 *   <li>After {@link #close()} or {@link #abandon()} further output is dropped (nobody will ever
 *       send it) and waiting producers are released.
 * </ul>
 *
 * <p>Thread-safe: producers (process pump threads) and the session's serial executor share it.
 */
public final class OutputBuffer implements AutoCloseable {
  /** Accounting overhead per chunk on top of its data (frame object, task id, deque slot). */
  static final int CHUNK_OVERHEAD = 96;

  private final String taskId;
  private final long memoryLimitBytes;
  private final SpoolBudget budget;
  private final SpillFile spill;
  private final ArrayDeque<NodeFrame> window = new ArrayDeque<>();
  private final ArrayDeque<NodeFrame> heldBack = new ArrayDeque<>();
  private long windowBytes;
  private long heldBackBytes;
  private long producedSeq;
  private long ackedSeq;
  private boolean dropping;

  /**
   * @param spillPath base name of this task's spill segments; files are created only when needed
   * @param budget the node's disk budget for spilled output, shared with its other tasks
   */
  public OutputBuffer(String taskId, long memoryLimitBytes, Path spillPath, SpoolBudget budget) {
    this.taskId = Objects.requireNonNull(taskId, "taskId");
    if (memoryLimitBytes <= 0) {
      throw new IllegalArgumentException("memoryLimitBytes must be positive");
    }
    this.memoryLimitBytes = memoryLimitBytes;
    this.budget = Objects.requireNonNull(budget, "budget");
    this.spill = new SpillFile(Objects.requireNonNull(spillPath, "spillPath"), budget);
  }

  public String taskId() {
    return taskId;
  }

  /** Buffers a piece of stdout or stderr and returns its seq (0 if the buffer no longer keeps output). */
  public synchronized long appendOutput(OutputStream stream, ByteString data, long producedAtMs) {
    if (dropping) {
      return 0;
    }
    long seq = producedSeq + 1;
    OutputChunk chunk =
        OutputChunk.newBuilder()
            .setTaskId(taskId)
            .setStream(stream)
            .setSeq(seq)
            .setData(data)
            .setProducedAtUnixMs(producedAtMs)
            .build();
    add(NodeFrame.newBuilder().setOutput(chunk).build());
    producedSeq = seq;
    return seq;
  }

  /** Buffers a binary chunk (its task id and seq are overwritten) and returns its seq (0 if dropped). */
  public synchronized long appendBinary(BinaryChunk chunk) {
    if (dropping) {
      return 0;
    }
    long seq = producedSeq + 1;
    BinaryChunk numbered = chunk.toBuilder().setTaskId(taskId).setSeq(seq).build();
    add(NodeFrame.newBuilder().setBinary(numbered).build());
    producedSeq = seq;
    return seq;
  }

  /**
   * Blocks while the buffer is congested, i.e. until the chunks held back have found room in the
   * window or on disk. Producers call it before reading more output; it must never be called on the
   * thread that applies acknowledgements.
   *
   * @throws InterruptedException if the producer's thread is interrupted while waiting
   */
  public void awaitRoom() throws InterruptedException {
    while (true) {
      long seen = budget.version();
      synchronized (this) {
        placeHeldBack();
        if (heldBack.isEmpty() || dropping) {
          return;
        }
      }
      budget.awaitChange(seen);
    }
  }

  /** Whether producers would be held back right now. */
  public synchronized boolean congested() {
    return !heldBack.isEmpty() && !dropping;
  }

  /** The chunk with this seq if it is unacknowledged and in memory (ready to send). */
  public synchronized Optional<NodeFrame> chunk(long seq) {
    long first = ackedSeq + 1;
    if (seq < first || seq >= first + window.size()) {
      return Optional.empty();
    }
    // The deque is contiguous from ackedSeq + 1; walk from the front.
    int index = (int) (seq - first);
    if (index == 0) {
      return Optional.of(window.peekFirst());
    }
    int i = 0;
    for (NodeFrame f : window) {
      if (i++ == index) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  /** Forgets every chunk up to and including {@code seq}; pulls later chunks into the window. */
  public synchronized void ack(long seq) {
    long upTo = Math.min(seq, producedSeq);
    if (upTo <= ackedSeq) {
      return;
    }
    boolean wasCongested = !heldBack.isEmpty();
    while (ackedSeq < upTo && !window.isEmpty()) {
      windowBytes -= sizeOf(window.pollFirst());
      ackedSeq++;
    }
    // Only reachable if the hub acknowledges more than was ever sent; drop those chunks too.
    while (ackedSeq < upTo && !spill.isEmpty()) {
      spill.take();
      ackedSeq++;
    }
    while (ackedSeq < upTo && !heldBack.isEmpty()) {
      heldBackBytes -= sizeOf(heldBack.pollFirst());
      ackedSeq++;
    }
    refill();
    if (wasCongested) {
      // Room in this task's window is not a budget release: wake its producers explicitly.
      budget.signal();
    }
  }

  public synchronized long producedSeq() {
    return producedSeq;
  }

  public synchronized long ackedSeq() {
    return ackedSeq;
  }

  /** Highest seq that {@link #chunk(long)} can serve right now. */
  public synchronized long sendableUpTo() {
    return ackedSeq + window.size();
  }

  /** Bytes (with overhead) of the in-memory window. */
  public synchronized long memoryBytes() {
    return windowBytes;
  }

  /** Bytes (with overhead) of chunks held back in memory while the buffer is congested. */
  public synchronized long heldBackBytes() {
    return heldBackBytes;
  }

  public synchronized int spilledChunks() {
    return spill.count();
  }

  /** Bytes of this task's spill files on disk (all reserved in the shared budget). */
  public synchronized long spilledBytes() {
    return spill.bytesOnDisk();
  }

  public synchronized boolean fullyAcked() {
    return ackedSeq == producedSeq;
  }

  /**
   * The output will never be delivered (the agent is shutting down): deletes the spill files,
   * releases waiting producers and drops whatever they produce from now on.
   */
  public synchronized void abandon() {
    dropping = true;
    window.clear();
    heldBack.clear();
    windowBytes = 0;
    heldBackBytes = 0;
    try {
      spill.close();
    } finally {
      budget.signal();
    }
  }

  /** Deletes the spill files and releases waiting producers; later output is dropped. */
  @Override
  public synchronized void close() {
    abandon();
  }

  private void add(NodeFrame frame) {
    long size = sizeOf(frame);
    if (heldBack.isEmpty()) {
      boolean fits = window.isEmpty() || windowBytes + size <= memoryLimitBytes;
      if (spill.isEmpty() && fits) {
        window.addLast(frame);
        windowBytes += size;
        return;
      }
      if (spill.tryAppend(frame)) {
        return;
      }
    }
    // Neither memory nor disk has room (or earlier chunks wait here): keep it, and congest.
    heldBack.addLast(frame);
    heldBackBytes += size;
  }

  /** Moves held-back chunks into the window or the spill file while either has room, in order. */
  private void placeHeldBack() {
    while (!heldBack.isEmpty()) {
      NodeFrame f = heldBack.peekFirst();
      long size = sizeOf(f);
      boolean fits = window.isEmpty() || windowBytes + size <= memoryLimitBytes;
      if (spill.isEmpty() && fits) {
        window.addLast(f);
        windowBytes += size;
      } else if (!spill.tryAppend(f)) {
        return;
      }
      heldBack.pollFirst();
      heldBackBytes -= size;
    }
  }

  private void refill() {
    // May overshoot the limit by at most one chunk (64 KiB): simpler than peeking into the file.
    while (!spill.isEmpty() && (window.isEmpty() || windowBytes < memoryLimitBytes)) {
      NodeFrame f = spill.take();
      window.addLast(f);
      windowBytes += sizeOf(f);
    }
    placeHeldBack();
  }

  private static long sizeOf(NodeFrame f) {
    int data = f.hasOutput() ? f.getOutput().getData().size() : f.getBinary().getData().size();
    return data + CHUNK_OVERHEAD;
  }
}
