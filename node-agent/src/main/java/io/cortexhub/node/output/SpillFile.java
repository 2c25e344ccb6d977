package io.cortexhub.node.output;

import io.cortexhub.proto.node.v1.NodeFrame;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A FIFO of frames on disk: appended at the end, consumed from the front, each record a 4-byte
 * length and the frame's bytes. It is kept in segment files ({@code <base>.0}, {@code <base>.1}, …);
 * a segment is deleted as soon as everything in it has been read back, so the files only ever hold
 * what is still queued (plus the consumed front of the oldest segment).
 *
 * <p>Every byte written is first reserved in the node's {@link SpoolBudget} and given back when its
 * segment is deleted, so the bytes on disk always equal what this file holds of the budget. An
 * append that the budget refuses, or that fails on I/O, leaves nothing behind and returns false: the
 * caller keeps the frame and applies backpressure.
 *
 * <p>Not thread-safe: {@link OutputBuffer} guards it.
 */
final class SpillFile implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(SpillFile.class.getName());

  private final Path base;
  private final SpoolBudget budget;
  private final long segmentBytes;
  private final ArrayDeque<Segment> segments = new ArrayDeque<>();
  private long nextSegment;
  private int count;
  private long appendFailures;

  SpillFile(Path base, SpoolBudget budget) {
    this.base = base;
    this.budget = budget;
    this.segmentBytes = budget.segmentBytes();
  }

  boolean isEmpty() {
    return count == 0;
  }

  int count() {
    return count;
  }

  /** Bytes in this task's segment files right now (all of them reserved in the budget). */
  long bytesOnDisk() {
    long n = 0;
    for (Segment s : segments) {
      n += s.writePos;
    }
    return n;
  }

  /** Appends that could not be written because of an I/O error (not counting budget refusals). */
  long appendFailures() {
    return appendFailures;
  }

  /** Writes the frame at the end, or returns false (nothing written) if the budget or disk refuse. */
  boolean tryAppend(NodeFrame frame) {
    byte[] bytes = frame.toByteArray();
    int size = 4 + bytes.length;
    if (!budget.tryReserve(size)) {
      return false;
    }
    Segment seg = segments.peekLast();
    try {
      if (seg == null || seg.writePos >= segmentBytes) {
        seg = new Segment(base.resolveSibling(base.getFileName() + "." + nextSegment++));
        segments.addLast(seg);
      }
      ByteBuffer buf = ByteBuffer.allocate(size);
      buf.putInt(bytes.length).put(bytes).flip();
      FileChannel ch = seg.open();
      long pos = seg.writePos;
      while (buf.hasRemaining()) {
        pos += ch.write(buf, pos);
      }
      // Only a whole record counts; a partial one is overwritten by the next append.
      seg.writePos = pos;
      seg.count++;
      count++;
      return true;
    } catch (IOException e) {
      budget.release(size);
      appendFailures++;
      if (seg.count == 0) {
        segments.remove(seg);
        try {
          seg.delete(budget);
        } catch (OutputSpillException cleanup) {
          e.addSuppressed(cleanup);
        }
      }
      LOG.log(Level.WARNING, "cannot spill output to " + seg.path + ": " + e.getMessage());
      return false;
    }
  }

  /** Removes and returns the oldest frame; the caller checks {@link #isEmpty()} first. */
  NodeFrame take() {
    Segment seg = segments.peekFirst();
    if (count == 0 || seg == null) {
      throw new IllegalStateException("spill file is empty");
    }
    try {
      ByteBuffer len = ByteBuffer.allocate(4);
      seg.readFully(len, seg.readPos);
      int n = len.flip().getInt();
      ByteBuffer body = ByteBuffer.allocate(n);
      seg.readFully(body, seg.readPos + 4);
      seg.readPos += 4 + n;
      seg.count--;
      count--;
      if (seg.count == 0) {
        segments.pollFirst();
        seg.delete(budget);
      }
      return NodeFrame.parseFrom(body.flip());
    } catch (IOException e) {
      throw new OutputSpillException("cannot read back spill file " + seg.path, e);
    }
  }

  /** Deletes every segment and gives its space back. */
  @Override
  public void close() {
    OutputSpillException failure = null;
    while (!segments.isEmpty()) {
      try {
        segments.pollFirst().delete(budget);
      } catch (OutputSpillException e) {
        failure = e;
      }
    }
    count = 0;
    if (failure != null) {
      throw failure;
    }
  }

  /** One segment file: records in [readPos, writePos) are still queued. */
  private static final class Segment {
    final Path path;
    FileChannel channel;
    long readPos;
    long writePos;
    int count;
    boolean released;

    Segment(Path path) {
      this.path = path;
    }

    FileChannel open() throws IOException {
      if (channel == null) {
        Files.createDirectories(path.getParent());
        channel =
            FileChannel.open(
                path,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.READ,
                StandardOpenOption.WRITE);
      }
      return channel;
    }

    void readFully(ByteBuffer buf, long at) throws IOException {
      long pos = at;
      while (buf.hasRemaining()) {
        int r = channel.read(buf, pos);
        if (r < 0) {
          throw new IOException("spill file truncated at " + pos);
        }
        pos += r;
      }
    }

    void delete(SpoolBudget budget) {
      if (!released) {
        released = true;
        budget.release(writePos);
      }
      try {
        if (channel == null) {
          return; // never opened, so never created
        }
        channel.close();
        channel = null;
        Files.deleteIfExists(path);
      } catch (IOException e) {
        throw new OutputSpillException("cannot delete spill file " + path, e);
      }
    }
  }
}
