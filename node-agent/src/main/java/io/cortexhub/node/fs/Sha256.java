package io.cortexhub.node.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 helpers for file contents (hex, lowercase). Stateless and thread-safe. */
final class Sha256 {
  private Sha256() {}

  static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  static String hex(byte[] data) {
    return HexFormat.of().formatHex(digest().digest(data));
  }

  static String hex(MessageDigest d) {
    return HexFormat.of().formatHex(d.digest());
  }

  /** Feeds the channel's bytes from position 0 to its current size into {@code d}. */
  static void update(MessageDigest d, FileChannel ch) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    long pos = 0;
    long size = ch.size();
    while (pos < size) {
      buf.clear();
      int n = ch.read(buf, pos);
      if (n < 0) {
        break;
      }
      buf.flip();
      d.update(buf);
      pos += n;
    }
  }

  static String of(FileChannel ch) throws IOException {
    MessageDigest d = digest();
    update(d, ch);
    return hex(d);
  }
}
