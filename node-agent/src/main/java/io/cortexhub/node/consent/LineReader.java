package io.cortexhub.node.consent;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Reads {@code \n}-terminated lines of bounded length from a stream, decoding UTF-8 strictly. */
final class LineReader {
  /**
   * One line.
   *
   * @param text the decoded line, or null if it was not valid UTF-8
   * @param tooLong the line exceeded the limit (text is then null and the rest of it unread)
   */
  record Line(String text, boolean tooLong) {}

  private final InputStream in;
  private final int maxBytes;

  LineReader(InputStream in, int maxBytes) {
    this.in = new BufferedInputStream(in);
    this.maxBytes = maxBytes;
  }

  /** The next line, or null at end of stream (a final unterminated line is returned as a line). */
  Line next() throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        return buf.size() == 0 ? null : decode(buf.toByteArray());
      }
      if (b == '\n') {
        return decode(buf.toByteArray());
      }
      if (buf.size() >= maxBytes) {
        return new Line(null, true);
      }
      buf.write(b);
    }
  }

  private static Line decode(byte[] bytes) {
    try {
      String s = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
      return new Line(s, false);
    } catch (CharacterCodingException e) {
      return new Line(null, false);
    }
  }
}
