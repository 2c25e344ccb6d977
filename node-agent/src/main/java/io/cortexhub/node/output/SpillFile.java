package io.cortexhub.node.output;

import io.cortexhub.proto.node.v1.NodeFrame;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A FIFO of frames on disk: appended at the end, consumed from the front, each record a 4-byte
 * length and the frame's bytes. The file is truncated whenever it has been read to the end, so it
 * only ever holds what is still queued.
 *
 * <p>Not thread-safe: {@link OutputBuffer} guards it.
 */
final class SpillFile implements AutoCloseable {
  private final Path path;
  private FileChannel channel;
  private long readPos;
  private long writePos;
  private int count;

  SpillFile(Path path) {
    this.path = path;
  }

  Path path() {
    return path;
  }

  boolean isEmpty() {
    return count == 0;
  }

  int count() {
    return count;
  }

  long bytesOnDisk() {
    return writePos - readPos;
  }

  void append(NodeFrame frame) {
    byte[] bytes = frame.toByteArray();
    ByteBuffer buf = ByteBuffer.allocate(4 + bytes.length);
    buf.putInt(bytes.length).put(bytes).flip();
    try {
      FileChannel ch = open();
      while (buf.hasRemaining()) {
        writePos += ch.write(buf, writePos);
      }
      count++;
    } catch (IOException e) {
      throw new OutputSpillException("cannot append to spill file " + path, e);
    }
  }

  /** Removes and returns the oldest frame; the caller checks {@link #isEmpty()} first. */
  NodeFrame take() {
    if (count == 0) {
      throw new IllegalStateException("spill file is empty");
    }
    try {
      ByteBuffer len = ByteBuffer.allocate(4);
      readFully(len, readPos);
      int n = len.flip().getInt();
      ByteBuffer body = ByteBuffer.allocate(n);
      readFully(body, readPos + 4);
      readPos += 4 + n;
      count--;
      if (count == 0) {
        channel.truncate(0);
        readPos = 0;
        writePos = 0;
      }
      return NodeFrame.parseFrom(body.flip());
    } catch (IOException e) {
      throw new OutputSpillException("cannot read back spill file " + path, e);
    }
  }

  @Override
  public void close() {
    try {
      if (channel != null) {
        channel.close();
        channel = null;
      }
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new OutputSpillException("cannot delete spill file " + path, e);
    }
  }

  private void readFully(ByteBuffer buf, long at) throws IOException {
    long pos = at;
    while (buf.hasRemaining()) {
      int r = channel.read(buf, pos);
      if (r < 0) {
        throw new IOException("spill file truncated at " + pos);
      }
      pos += r;
    }
  }

  private FileChannel open() throws IOException {
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
}
