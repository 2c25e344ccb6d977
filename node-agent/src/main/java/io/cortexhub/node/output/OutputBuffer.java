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
 *       stderr and binary chunks) and never block on the network.
 *   <li>The oldest unacknowledged chunks live in memory, at most {@code memoryLimitBytes} of them
 *       (plus at most one chunk, so progress is always possible); newer ones go to a spill file and
 *       come back into memory, in order, as {@link #ack} frees room.
 *   <li>{@link #chunk(long)} serves any seq between {@code ackedSeq + 1} and the end of the in-memory
 *       window. Because the sender only sends what is in memory, the hub can never acknowledge a
 *       chunk that is still on disk.
 *   <li>{@link #ack(long)} is cumulative and idempotent; an ack below the current one is ignored.
 * </ul>
 *
 * <p>Thread-safe: producers (process pump threads) and the session's serial executor share it.
 */
public final class OutputBuffer implements AutoCloseable {
  /** Accounting overhead per chunk on top of its data (frame object, task id, deque slot). */
  static final int CHUNK_OVERHEAD = 96;

  private final String taskId;
  private final long memoryLimitBytes;
  private final SpillFile spill;
  private final ArrayDeque<NodeFrame> memory = new ArrayDeque<>();
  private long memoryBytes;
  private long producedSeq;
  private long ackedSeq;
  private boolean spillFailed;

  /**
   * @param spillPath where chunks go when memory is full; the file is created only when needed
   */
  public OutputBuffer(String taskId, long memoryLimitBytes, Path spillPath) {
    this.taskId = Objects.requireNonNull(taskId, "taskId");
    if (memoryLimitBytes <= 0) {
      throw new IllegalArgumentException("memoryLimitBytes must be positive");
    }
    this.memoryLimitBytes = memoryLimitBytes;
    this.spill = new SpillFile(Objects.requireNonNull(spillPath, "spillPath"));
  }

  public String taskId() {
    return taskId;
  }

  /** Buffers a piece of stdout or stderr and returns its seq. */
  public synchronized long appendOutput(OutputStream stream, ByteString data, long producedAtMs) {
    long seq = producedSeq + 1;
    OutputChunk chunk =
        OutputChunk.newBuilder()
            .setTaskId(taskId)
            .setStream(stream)
            .setSeq(seq)
            .setData(data)
            .setProducedAtUnixMs(producedAtMs)
            .build();
    add(NodeFrame.newBuilder().setOutput(chunk).build(), data.size());
    producedSeq = seq;
    return seq;
  }

  /** Buffers a binary chunk (its task id and seq are overwritten) and returns its seq. */
  public synchronized long appendBinary(BinaryChunk chunk) {
    long seq = producedSeq + 1;
    BinaryChunk numbered = chunk.toBuilder().setTaskId(taskId).setSeq(seq).build();
    add(NodeFrame.newBuilder().setBinary(numbered).build(), numbered.getData().size());
    producedSeq = seq;
    return seq;
  }

  /** The chunk with this seq if it is unacknowledged and in memory (ready to send). */
  public synchronized Optional<NodeFrame> chunk(long seq) {
    long first = ackedSeq + 1;
    if (seq < first || seq >= first + memory.size()) {
      return Optional.empty();
    }
    // The deque is contiguous from ackedSeq + 1; walk from the nearer end.
    int index = (int) (seq - first);
    if (index == 0) {
      return Optional.of(memory.peekFirst());
    }
    int i = 0;
    for (NodeFrame f : memory) {
      if (i++ == index) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  /** Forgets every chunk up to and including {@code seq}; pulls spilled chunks back into memory. */
  public synchronized void ack(long seq) {
    long upTo = Math.min(seq, producedSeq);
    while (ackedSeq < upTo && !memory.isEmpty()) {
      NodeFrame f = memory.pollFirst();
      memoryBytes -= sizeOf(f);
      ackedSeq++;
    }
    // Only reachable if the hub acknowledges more than was ever sent; drop from disk too.
    while (ackedSeq < upTo && !spill.isEmpty()) {
      spill.take();
      ackedSeq++;
    }
    refill();
  }

  public synchronized long producedSeq() {
    return producedSeq;
  }

  public synchronized long ackedSeq() {
    return ackedSeq;
  }

  /** Highest seq that {@link #chunk(long)} can serve right now. */
  public synchronized long sendableUpTo() {
    return ackedSeq + memory.size();
  }

  public synchronized long memoryBytes() {
    return memoryBytes;
  }

  public synchronized int spilledChunks() {
    return spill.count();
  }

  public synchronized boolean fullyAcked() {
    return ackedSeq == producedSeq;
  }

  /** Deletes the spill file. The buffer must not be used afterwards. */
  @Override
  public synchronized void close() {
    memory.clear();
    memoryBytes = 0;
    spill.close();
  }

  private void add(NodeFrame frame, int dataSize) {
    long size = dataSize + CHUNK_OVERHEAD;
    boolean fits = memory.isEmpty() || memoryBytes + size <= memoryLimitBytes;
    if (spill.isEmpty() && fits) {
      memory.addLast(frame);
      memoryBytes += size;
      return;
    }
    if (!spillFailed) {
      try {
        spill.append(frame);
        return;
      } catch (OutputSpillException e) {
        // Losing output is worse than exceeding the memory bound: keep it in memory from now on.
        spillFailed = true;
        if (!spill.isEmpty()) {
          throw e; // order would break if later chunks overtook spilled ones
        }
      }
    }
    memory.addLast(frame);
    memoryBytes += size;
  }

  private void refill() {
    // May overshoot the limit by at most one chunk (64 KiB): simpler than peeking into the file.
    while (!spill.isEmpty() && (memory.isEmpty() || memoryBytes < memoryLimitBytes)) {
      NodeFrame f = spill.take();
      memory.addLast(f);
      memoryBytes += sizeOf(f);
    }
  }

  private static long sizeOf(NodeFrame f) {
    int data =
        f.hasOutput() ? f.getOutput().getData().size() : f.getBinary().getData().size();
    return data + CHUNK_OVERHEAD;
  }
}
