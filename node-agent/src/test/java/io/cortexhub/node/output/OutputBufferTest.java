package io.cortexhub.node.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cortexhub.proto.node.v1.BinaryChunk;
import io.cortexhub.proto.node.v1.NodeFrame;
import io.cortexhub.proto.node.v1.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputBufferTest {
  private static final OutputStream OUT = OutputStream.OUTPUT_STREAM_STDOUT;
  private static final OutputStream ERR = OutputStream.OUTPUT_STREAM_STDERR;

  @TempDir Path dir;

  private static ByteString bytes(String s) {
    return ByteString.copyFrom(s, StandardCharsets.UTF_8);
  }

  private static ByteString filled(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (seed * 31 + i);
    }
    return ByteString.copyFrom(b);
  }

  private static long seqOf(NodeFrame f) {
    return f.hasOutput() ? f.getOutput().getSeq() : f.getBinary().getSeq();
  }

  @Test
  void seqs_startAtOne_andAreSharedByStdoutStderrAndBinary() {
    try (OutputBuffer b = new OutputBuffer("t1", 1 << 20, dir.resolve("t1.out"), new SpoolBudget(1L << 30))) {
      assertThat(b.appendOutput(OUT, bytes("a"), 1)).isEqualTo(1);
      assertThat(b.appendOutput(ERR, bytes("b"), 2)).isEqualTo(2);
      assertThat(b.appendBinary(BinaryChunk.newBuilder().setFrameId("f").setData(bytes("png")).build())).isEqualTo(3);
      assertThat(b.appendOutput(OUT, bytes("c"), 4)).isEqualTo(4);
      assertThat(b.chunk(1).orElseThrow().getOutput().getData().toStringUtf8()).isEqualTo("a");
      assertThat(b.chunk(2).orElseThrow().getOutput().getStream()).isEqualTo(ERR);
      assertThat(b.chunk(3).orElseThrow().getBinary().getTaskId()).isEqualTo("t1");
      assertThat(b.chunk(4).orElseThrow().getOutput().getSeq()).isEqualTo(4);
      assertThat(b.chunk(5)).isEmpty();
      assertThat(b.chunk(0)).isEmpty();
    }
  }

  @Test
  void ack_trimsCumulatively_andIgnoresStaleOrExcessiveAcks() {
    try (OutputBuffer b = new OutputBuffer("t", 1 << 20, dir.resolve("t.out"), new SpoolBudget(1L << 30))) {
      for (int i = 0; i < 5; i++) {
        b.appendOutput(OUT, bytes("x" + i), i);
      }
      b.ack(3);
      assertThat(b.ackedSeq()).isEqualTo(3);
      assertThat(b.chunk(3)).isEmpty();
      assertThat(b.chunk(4)).isPresent();
      b.ack(1); // stale
      assertThat(b.ackedSeq()).isEqualTo(3);
      b.ack(99); // beyond what exists: clamped
      assertThat(b.ackedSeq()).isEqualTo(5);
      assertThat(b.fullyAcked()).isTrue();
      assertThat(b.memoryBytes()).isZero();
    }
  }

  @Test
  void whenMemoryIsFull_chunksSpillToDisk_andComeBackInOrder() throws Exception {
    long limit = 64 * 1024;
    Path spill = dir.resolve("big.out");
    List<ByteString> written = new ArrayList<>();
    try (OutputBuffer b = new OutputBuffer("big", limit, spill, new SpoolBudget(1L << 30))) {
      for (int i = 0; i < 100; i++) {
        ByteString data = filled(10_000, i);
        written.add(data);
        b.appendOutput(i % 3 == 0 ? ERR : OUT, data, i);
        assertThat(b.memoryBytes()).isLessThanOrEqualTo(limit + 10_000 + OutputBuffer.CHUNK_OVERHEAD);
      }
      assertThat(b.spilledChunks()).isGreaterThan(80);
      assertThat(b.spilledBytes()).isGreaterThan(800_000).isEqualTo(filesSize(dir));

      // A hub that receives whatever is sendable and acknowledges it.
      List<NodeFrame> received = new ArrayList<>();
      long next = 1;
      while (next <= 100) {
        long upTo = b.sendableUpTo();
        assertThat(upTo).isGreaterThanOrEqualTo(next);
        for (; next <= upTo; next++) {
          received.add(b.chunk(next).orElseThrow());
        }
        b.ack(next - 1);
        assertThat(b.memoryBytes()).isLessThanOrEqualTo(limit + 10_000 + OutputBuffer.CHUNK_OVERHEAD);
      }
      assertThat(received).extracting(OutputBufferTest::seqOf).containsExactlyElementsOf(seqs(1, 100));
      assertThat(received).extracting(f -> f.getOutput().getData()).containsExactlyElementsOf(written);
      assertThat(b.spilledChunks()).isZero();
      assertThat(filesIn(dir)).isEmpty(); // segments are deleted once read back
    }
  }

  @Test
  void resumeAfterReconnect_resendsExactlyWhatTheHubLacks() {
    try (OutputBuffer b = new OutputBuffer("r", 64 * 1024, dir.resolve("r.out"), new SpoolBudget(1L << 30))) {
      List<Long> hubStored = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        b.appendOutput(OUT, filled(20_000, i), i); // spills after a few
      }
      // Session 1: the node sends 1..3, the hub stores 1..2 and acks 2, then the stream breaks.
      for (long s = 1; s <= 3; s++) {
        b.chunk(s).orElseThrow();
      }
      hubStored.add(1L);
      hubStored.add(2L);
      b.ack(2);
      // The task keeps writing while disconnected.
      for (int i = 10; i < 15; i++) {
        b.appendOutput(OUT, filled(20_000, i), i);
      }
      // Session 2: the hub answers the resume with OutputAck(2); the node resends from 3.
      b.ack(2);
      long cursor = b.ackedSeq() + 1;
      while (cursor <= b.producedSeq()) {
        Optional<NodeFrame> f = b.chunk(cursor);
        if (f.isEmpty()) {
          b.ack(cursor - 1); // window full: wait for the hub's ack
          continue;
        }
        hubStored.add(seqOf(f.get()));
        cursor++;
      }
      assertThat(hubStored).containsExactlyElementsOf(seqs(1, 15)); // no gap, no duplicate
    }
  }

  @Test
  void close_deletesTheSpillFiles_andGivesTheirSpaceBack() throws Exception {
    SpoolBudget budget = new SpoolBudget(1L << 30);
    OutputBuffer b = new OutputBuffer("c", 64 * 1024, dir.resolve("c.out"), budget);
    for (int i = 0; i < 10; i++) {
      b.appendOutput(OUT, filled(30_000, i), i);
    }
    assertThat(filesIn(dir)).isNotEmpty();
    assertThat(budget.used()).isEqualTo(filesSize(dir));
    b.close();
    assertThat(filesIn(dir)).isEmpty();
    assertThat(budget.used()).isZero();
    assertThat(b.appendOutput(OUT, bytes("late"), 1)).isZero(); // a forgotten task keeps nothing
    assertThat(filesIn(dir)).isEmpty();
  }

  static List<Path> filesIn(Path dir) throws java.io.IOException {
    try (var s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).toList();
    }
  }

  static long filesSize(Path dir) throws java.io.IOException {
    long n = 0;
    for (Path p : filesIn(dir)) {
      n += Files.size(p);
    }
    return n;
  }

  private static List<Long> seqs(long from, long to) {
    List<Long> out = new ArrayList<>();
    for (long s = from; s <= to; s++) {
      out.add(s);
    }
    return out;
  }
}
