package io.cortexhub.node.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.Optional;

/**
 * Splits a log file into {@code \n}-terminated lines with positional reads, so the log can scan
 * the channel it holds its lock through (closing a second channel on the same file would drop
 * that lock).
 */
final class LogLines {
  /** Longest line read into memory; a longer one is reported, not loaded. */
  static final int MAX_LINE_BYTES = 1 << 20;

  /** Receives each line in file order. */
  interface Visitor {
    /** A complete line, without its {@code \n}. */
    void line(long lineNo, long offset, byte[] bytes);

    /** A complete line longer than {@link #MAX_LINE_BYTES}. */
    default void tooLong(long lineNo, long offset, long length) {}

    /** Bytes after the last {@code \n}: a line that was never finished. */
    default void incomplete(long lineNo, long offset, long length) {}
  }

  private LogLines() {}

  /** Visits every line in {@code [0, limit)}. */
  static void scan(FileChannel ch, long limit, Visitor v) throws IOException {
    scan(ch, 0, limit, 1, v);
  }

  /** Visits every line in {@code [from, limit)}; {@code from} starts line {@code firstLineNo}. */
  static void scan(FileChannel ch, long from, long limit, long firstLineNo, Visitor v) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(1 << 16);
    byte[] line = new byte[512];
    int len = 0;
    long lineLength = 0;
    long lineStart = from;
    long lineNo = firstLineNo;
    long pos = from;
    while (pos < limit) {
      buf.clear();
      buf.limit((int) Math.min(buf.capacity(), limit - pos));
      int n = ch.read(buf, pos);
      if (n <= 0) {
        break; // shorter than expected (truncated under us): stop at what exists
      }
      byte[] a = buf.array();
      for (int i = 0; i < n; i++) {
        byte b = a[i];
        if (b == '\n') {
          if (lineLength > MAX_LINE_BYTES) {
            v.tooLong(lineNo, lineStart, lineLength);
          } else {
            v.line(lineNo, lineStart, Arrays.copyOf(line, len));
          }
          lineNo++;
          lineStart = pos + i + 1;
          len = 0;
          lineLength = 0;
        } else {
          if (lineLength < MAX_LINE_BYTES) {
            if (len == line.length) {
              line = Arrays.copyOf(line, Math.min(MAX_LINE_BYTES, line.length * 2));
            }
            line[len++] = b;
          }
          lineLength++;
        }
      }
      pos += n;
    }
    if (lineLength > 0) {
      v.incomplete(lineNo, lineStart, lineLength);
    }
  }

  /** Where a complete line starts: its byte offset, 1-based number and length (without {@code \n}). */
  record Located(long offset, long lineNo, long length) {}

  /**
   * The last complete line in {@code [0, limit)} that ends with {@code suffix}, found by a raw
   * byte pass (no decoding or parsing), so finding the newest checkpoint costs little even in a
   * long log.
   */
  static Optional<Located> lastLineEndingWith(FileChannel ch, long limit, byte[] suffix) throws IOException {
    int k = suffix.length;
    ByteBuffer buf = ByteBuffer.allocate(Math.max(1 << 16, 2 * k));
    byte[] prevTail = new byte[k]; // the last k bytes of the previous chunk
    int prevTailLength = 0;
    long lineStart = 0;
    long lineNo = 1;
    Located found = null;
    long pos = 0;
    while (pos < limit) {
      buf.clear();
      buf.limit((int) Math.min(buf.capacity(), limit - pos));
      int n = ch.read(buf, pos);
      if (n <= 0) {
        break;
      }
      byte[] a = buf.array();
      for (int i = 0; i < n; i++) {
        if (a[i] != '\n') {
          continue;
        }
        long end = pos + i;
        if (end - lineStart >= k && endsWith(a, i, prevTail, prevTailLength, suffix)) {
          found = new Located(lineStart, lineNo, end - lineStart);
        }
        lineNo++;
        lineStart = end + 1;
      }
      prevTailLength = Math.min(k, n);
      System.arraycopy(a, n - prevTailLength, prevTail, 0, prevTailLength);
      pos += n;
    }
    return Optional.ofNullable(found);
  }

  /** Whether the k bytes before index {@code i} of {@code a} (continuing into the previous chunk) are {@code suffix}. */
  private static boolean endsWith(byte[] a, int i, byte[] prevTail, int prevTailLength, byte[] suffix) {
    int k = suffix.length;
    for (int j = 0; j < k; j++) {
      int at = i - k + j;
      byte b;
      if (at >= 0) {
        b = a[at];
      } else if (prevTailLength + at >= 0) {
        b = prevTail[prevTailLength + at];
      } else {
        return false;
      }
      if (b != suffix[j]) {
        return false;
      }
    }
    return true;
  }
}
