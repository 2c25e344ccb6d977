package io.cortexhub.node.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Line splitting and the raw search for the newest checkpoint, across read-buffer boundaries. */
class LogLinesTest {
  private static final byte[] MARK = "<cp>".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;

  @Test
  void findsTheLastMarkedLine_andSplitsLines_likeANaiveReading() throws IOException {
    Random random = new Random(11);
    for (int round = 0; round < 20; round++) {
      List<String> lines = new ArrayList<>();
      StringBuilder text = new StringBuilder();
      int count = 50 + random.nextInt(400);
      for (int i = 0; i < count; i++) {
        String line = "x".repeat(random.nextInt(1500)) + (random.nextInt(9) == 0 ? "<cp>" : "");
        lines.add(line);
        text.append(line).append('\n');
      }
      String tail = random.nextBoolean() ? "" : "unfinished<cp>";
      text.append(tail);
      Path f = dir.resolve("log" + round);
      Files.writeString(f, text);

      int expected = -1;
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).endsWith("<cp>")) {
          expected = i;
        }
      }
      try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
        Optional<LogLines.Located> found = LogLines.lastLineEndingWith(ch, ch.size(), MARK);
        if (expected < 0) {
          assertThat(found).isEmpty();
        } else {
          LogLines.Located at = found.orElseThrow();
          assertThat(at.lineNo()).isEqualTo(expected + 1);
          assertThat(at.length()).isEqualTo(lines.get(expected).length());
          long offset = lines.subList(0, expected).stream().mapToLong(l -> l.length() + 1).sum();
          assertThat(at.offset()).isEqualTo(offset);
        }
        List<String> read = new ArrayList<>();
        long[] incomplete = {-1};
        LogLines.scan(ch, ch.size(), new LogLines.Visitor() {
          @Override
          public void line(long lineNo, long offset, byte[] bytes) {
            assertThat(lineNo).isEqualTo(read.size() + 1);
            read.add(new String(bytes, StandardCharsets.UTF_8));
          }

          @Override
          public void incomplete(long lineNo, long offset, long length) {
            incomplete[0] = length;
          }
        });
        assertThat(read).isEqualTo(lines);
        assertThat(incomplete[0]).isEqualTo(tail.isEmpty() ? -1 : tail.length());
      }
    }
  }

  @Test
  void aMarkerSplitAcrossTwoReads_isStillFound() throws IOException {
    // The read buffer is 64 KiB: put "<cp>" on bytes 65534..65537, straddling the first boundary.
    Path f = dir.resolve("straddle");
    Files.writeString(f, "y".repeat(65534) + "<cp>\nz\n");
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
      LogLines.Located at = LogLines.lastLineEndingWith(ch, ch.size(), MARK).orElseThrow();
      assertThat(at).isEqualTo(new LogLines.Located(0, 1, 65538));
    }
    Files.writeString(f, "y".repeat(65534) + "<cX>\nz\n");
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
      assertThat(LogLines.lastLineEndingWith(ch, ch.size(), MARK)).isEmpty();
    }
  }
}
