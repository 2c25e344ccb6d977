package io.cortexhub.node.output;

import static io.cortexhub.node.output.OutputBufferTest.filesIn;
import static io.cortexhub.node.output.OutputBufferTest.filesSize;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.cortexhub.node.testing.Await;
import io.cortexhub.proto.node.v1.NodeFrame;
import io.cortexhub.proto.node.v1.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node-wide spool budget and the backpressure it puts on producers. */
class OutputBackpressureTest {
  private static final OutputStream OUT = OutputStream.OUTPUT_STREAM_STDOUT;
  private static final int CHUNK = 16 * 1024;
  private static final long MEMORY = 64 * 1024;

  @TempDir Path dir;
  final ExecutorService producers = Executors.newCachedThreadPool();

  @AfterEach
  void stopProducers() {
    producers.shutdownNow();
  }

  private static ByteString filled(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (seed * 31 + i);
    }
    return ByteString.copyFrom(b);
  }

  /** Appends chunks until the buffer congests; returns how many it took. */
  private static int fillUntilCongested(OutputBuffer b, int seed) {
    int n = 0;
    while (!b.congested()) {
      b.appendOutput(OUT, filled(CHUNK, seed + n), n);
      n++;
      assertThat(n).as("congests eventually").isLessThan(10_000);
    }
    return n;
  }

  /** Acknowledges everything the hub could have been sent, until nothing is left. */
  private static List<ByteString> drain(OutputBuffer b) {
    List<ByteString> got = new ArrayList<>();
    while (!b.fullyAcked()) {
      long upTo = b.sendableUpTo();
      assertThat(upTo).as("something is sendable").isGreaterThan(b.ackedSeq());
      for (long s = b.ackedSeq() + 1; s <= upTo; s++) {
        NodeFrame f = b.chunk(s).orElseThrow();
        assertThat(f.getOutput().getSeq()).isEqualTo(s);
        got.add(f.getOutput().getData());
      }
      b.ack(upTo);
    }
    return got;
  }

  @Test
  void budget_isSharedByTwoTasks_andDiskUseNeverExceedsIt() throws Exception {
    SpoolBudget budget = new SpoolBudget(256 * 1024);
    try (OutputBuffer a = new OutputBuffer("a", MEMORY, dir.resolve("a.out"), budget);
        OutputBuffer b = new OutputBuffer("b", MEMORY, dir.resolve("b.out"), budget)) {
      int fromA = fillUntilCongested(a, 0);
      // A took the whole budget: B spills nothing and congests right after its own memory fills.
      assertThat(budget.used()).isLessThanOrEqualTo(budget.limit()).isGreaterThan(budget.limit() - CHUNK - 100);
      assertThat(a.spilledBytes()).isEqualTo(budget.used());
      int fromB = fillUntilCongested(b, 1000);
      assertThat(b.spilledBytes()).isZero();
      assertThat(b.memoryBytes()).isLessThanOrEqualTo(MEMORY);
      assertThat(budget.used()).isEqualTo(a.spilledBytes()).isEqualTo(filesSize(dir));
      assertThat(fromA).isGreaterThan(fromB);

      // B's producer waits; A's acknowledgements free disk, which lets B's held-back chunk spill.
      CompletableFuture<Void> bWaits = CompletableFuture.runAsync(() -> awaitRoom(b), producers);
      assertThat(bWaits).isNotDone();
      List<ByteString> fromADelivered = drain(a);
      assertThat(fromADelivered).hasSize(fromA);
      Await.until("B's producer released", bWaits::isDone);
      assertThat(b.congested()).isFalse();
      assertThat(b.spilledBytes()).isPositive();
      assertThat(budget.used()).isEqualTo(a.spilledBytes() + b.spilledBytes()).isEqualTo(filesSize(dir));
      assertThat(drain(b)).hasSize(fromB);
      assertThat(budget.used()).isZero();
      assertThat(filesIn(dir)).isEmpty();
    }
  }

  @Test
  void congestedBuffer_holdsItsProducer_untilAcksMakeRoom_andLosesNothing() throws Exception {
    SpoolBudget budget = new SpoolBudget(128 * 1024);
    try (OutputBuffer b = new OutputBuffer("t", MEMORY, dir.resolve("t.out"), budget)) {
      List<ByteString> written = new ArrayList<>();
      while (!b.congested()) {
        ByteString d = filled(CHUNK, written.size());
        written.add(d);
        b.appendOutput(OUT, d, 0);
      }
      long held = b.heldBackBytes();
      assertThat(held).isPositive().isLessThanOrEqualTo(CHUNK + OutputBuffer.CHUNK_OVERHEAD);
      CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> awaitRoom(b), producers);
      assertThat(waiting).isNotDone();

      List<ByteString> got = new ArrayList<>();
      long upTo = b.sendableUpTo();
      for (long s = 1; s <= upTo; s++) {
        got.add(b.chunk(s).orElseThrow().getOutput().getData());
      }
      b.ack(upTo);
      Await.until("producer released by the ack", waiting::isDone);
      got.addAll(drain(b));
      assertThat(got).containsExactlyElementsOf(written);
    }
  }

  @Test
  void zeroBudget_neverSpills_andCongestsWhenMemoryIsFull() {
    SpoolBudget budget = new SpoolBudget(0);
    try (OutputBuffer b = new OutputBuffer("z", MEMORY, dir.resolve("z.out"), budget)) {
      int n = fillUntilCongested(b, 0);
      assertThat(n).isEqualTo((int) (MEMORY / (CHUNK + OutputBuffer.CHUNK_OVERHEAD)) + 1);
      assertThat(b.spilledChunks()).isZero();
      assertThat(drain(b)).hasSize(n);
      assertThat(b.congested()).isFalse();
    }
  }

  @Test
  void unwritableSpoolDirectory_congestsInsteadOfLosingOutput() throws Exception {
    Path notADir = Files.writeString(dir.resolve("blocker"), "x");
    SpoolBudget budget = new SpoolBudget(1 << 20);
    try (OutputBuffer b = new OutputBuffer("u", MEMORY, notADir.resolve("u.out"), budget)) {
      int n = fillUntilCongested(b, 0);
      assertThat(budget.used()).isZero(); // the failed writes gave their reservation back
      assertThat(drain(b)).hasSize(n);
    }
  }

  @Test
  void abandon_releasesWaitingProducers_deletesFiles_andDropsLaterOutput() throws Exception {
    SpoolBudget budget = new SpoolBudget(64 * 1024);
    OutputBuffer b = new OutputBuffer("x", MEMORY, dir.resolve("x.out"), budget);
    fillUntilCongested(b, 0);
    CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> awaitRoom(b), producers);
    b.abandon();
    Await.until("producer released", waiting::isDone);
    assertThat(budget.used()).isZero();
    assertThat(filesIn(dir)).isEmpty();
    long produced = b.producedSeq();
    assertThat(b.appendOutput(OUT, filled(10, 1), 0)).isZero();
    assertThat(b.producedSeq()).isEqualTo(produced);
    assertThat(b.congested()).isFalse();
  }

  @Test
  void budget_refusesWhatDoesNotFit_andRejectsBadAmounts() {
    SpoolBudget budget = new SpoolBudget(100);
    assertThat(budget.tryReserve(60)).isTrue();
    assertThat(budget.tryReserve(41)).isFalse();
    assertThat(budget.used()).isEqualTo(60);
    assertThat(budget.tryReserve(40)).isTrue();
    budget.release(100);
    assertThat(budget.used()).isZero();
    assertThatThrownBy(() -> budget.release(1)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> budget.tryReserve(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SpoolBudget(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void leftoverSpillFiles_areRemovedAtStart_andCounted() throws Exception {
    Path spool = dir.resolve("spool").resolve("edge-1");
    Files.createDirectories(spool.resolve("old"));
    Files.write(spool.resolve("t1.out.0"), new byte[1000]);
    Files.write(spool.resolve("old").resolve("t2.out.3"), new byte[24]);
    Path outside = Files.writeString(dir.resolve("keep.txt"), "not ours");
    SpoolDirectory.Leftovers left = new SpoolDirectory(spool).removeLeftovers();
    assertThat(left).isEqualTo(new SpoolDirectory.Leftovers(2, 1024));
    assertThat(spool).isEmptyDirectory();
    assertThat(outside).exists();
    assertThat(new SpoolDirectory(dir.resolve("missing")).removeLeftovers())
        .isEqualTo(new SpoolDirectory.Leftovers(0, 0));
  }

  private static void awaitRoom(OutputBuffer b) {
    try {
      b.awaitRoom();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
