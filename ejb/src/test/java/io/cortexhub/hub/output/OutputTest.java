package io.cortexhub.hub.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortexhub.hub.connector.inbound.TaskFinishReport;
import io.cortexhub.hub.dispatch.TaskId;
import io.cortexhub.hub.dispatch.TaskRequest;
import io.cortexhub.hub.dispatch.TaskState;
import io.cortexhub.hub.dispatch.TaskView;
import io.cortexhub.hub.dispatch.UnknownTaskException;
import io.cortexhub.hub.testing.FakeConnections.Recording;
import io.cortexhub.hub.testing.HubHarness;
import io.cortexhub.hub.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OutputTest {
  private final HubHarness hub = new HubHarness(TestDatabase.Kind.H2);
  private final TaskOutputService output = hub.core.output();
  private Recording node;
  private TaskId task;

  /** Records what a subscriber saw. */
  static class Seen implements OutputListener {
    final List<Long> seqs = new CopyOnWriteArrayList<>();
    final List<TaskView> finished = new CopyOnWriteArrayList<>();
    volatile boolean overflowed;

    @Override
    public void onChunk(OutputRecord chunk) {
      seqs.add(chunk.seq());
    }

    @Override
    public void onFinished(TaskView t) {
      finished.add(t);
    }

    @Override
    public void onOverflow() {
      overflowed = true;
    }
  }

  @BeforeEach
  void dispatchOne() {
    node = hub.connect("n", 1);
    task = hub.core.tasks().submit(TaskRequest.echo("x", Map.of())).task().id();
    hub.commit();
  }

  @AfterEach
  void close() throws Exception {
    hub.close();
  }

  @Test
  void chunks_areAcknowledgedOnlyAfterTheirBatchCommitted_cumulatively() {
    for (long seq = 1; seq <= 5; seq++) {
      hub.output(node.node(), task, seq, "line " + seq);
    }
    assertThat(node.acks).isEmpty();
    assertThat(output.read(task, 0, 100)).isEmpty();

    assertThat(hub.commit()).isEqualTo(5);

    assertThat(node.acks).containsEntry(task, 5L);
    assertThat(output.read(task, 0, 100)).extracting(OutputRecord::seq)
        .containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(hub.core.tasks().find(task).orElseThrow().outputSeq()).isEqualTo(5);
  }

  @Test
  void resentChunks_areStoredOnce_andReacknowledged() {
    hub.output(node.node(), task, 1, "a");
    hub.output(node.node(), task, 2, "b");
    hub.commit();
    node.acks.clear();

    hub.output(node.node(), task, 1, "a");
    hub.output(node.node(), task, 2, "b");
    hub.output(node.node(), task, 3, "c");
    assertThat(node.acks).as("duplicates already stored are acked at once").containsEntry(task, 2L);
    hub.commit();

    assertThat(output.read(task, 0, 100)).extracting(r -> new String(r.data(),
        StandardCharsets.UTF_8)).containsExactly("a", "b", "c");
    assertThat(node.acks).containsEntry(task, 3L);
  }

  @Test
  void outputFromANodeTheTaskWasNotDispatchedTo_isDroppedAndNeverAcknowledged() {
    Recording intruder = hub.connect("intruder", 1);
    hub.output(intruder.node(), task, 1, "forged");
    hub.commit();

    assertThat(output.read(task, 0, 100)).isEmpty();
    assertThat(intruder.acks).isEmpty();

    hub.output(node.node(), task, 1, "genuine");
    hub.commit();
    assertThat(output.read(task, 0, 100)).extracting(r -> new String(r.data(),
        StandardCharsets.UTF_8)).containsExactly("genuine");
  }

  @Test
  void ackStaysAtTheHighestContiguousSeq_whenAChunkIsMissing() {
    hub.output(node.node(), task, 1, "a");
    hub.output(node.node(), task, 3, "c");
    hub.commit();
    assertThat(node.acks).containsEntry(task, 1L);

    hub.output(node.node(), task, 2, "b");
    hub.commit();
    assertThat(node.acks).containsEntry(task, 3L);
  }

  @Test
  void subscriber_getsReplayThenLiveThenFinished_onlyOnceOutputReachesFinalSeq() {
    hub.output(node.node(), task, 1, "a");
    hub.commit();
    Seen seen = new Seen();
    output.subscribe(task, 0, seen);
    assertThat(seen.seqs).containsExactly(1L);

    hub.output(node.node(), task, 2, "b");
    hub.finish(node.node(), task, TaskFinishReport.Outcome.SUCCEEDED, 3);
    hub.commit();
    assertThat(seen.seqs).containsExactly(1L, 2L);
    assertThat(seen.finished).as("seq 3 is still missing").isEmpty();
    assertThat(node.finishedAcks).containsExactly(task);

    hub.output(node.node(), task, 3, "c");
    hub.commit();
    assertThat(seen.seqs).containsExactly(1L, 2L, 3L);
    assertThat(seen.finished).singleElement().satisfies(t -> {
      assertThat(t.state()).isEqualTo(TaskState.SUCCEEDED);
      assertThat(t.outputSeq()).isEqualTo(3);
    });
  }

  @Test
  void subscribingToAFinishedTask_replaysFromTheGivenSeq_thenFinishesAtOnce() {
    for (long seq = 1; seq <= 3; seq++) {
      hub.output(node.node(), task, seq, "x");
    }
    hub.finish(node.node(), task, TaskFinishReport.Outcome.SUCCEEDED, 3);
    hub.commit();

    Seen seen = new Seen();
    output.subscribe(task, 1, seen);
    assertThat(seen.seqs).containsExactly(2L, 3L);
    assertThat(seen.finished).hasSize(1);
  }

  @Test
  void slowSubscriber_isClosedWithOverflow_withoutStallingOthers() throws Exception {
    var tasks = new io.cortexhub.hub.dispatch.JdbcTaskStore(hub.db.dataSource());
    var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      OutputBroadcaster b = new OutputBroadcaster(new JdbcOutputStore(hub.db.dataSource()),
          tasks::find, pool, 2);
      var release = new java.util.concurrent.CountDownLatch(1);
      Seen slow = new Seen() {
        @Override
        public void onChunk(OutputRecord chunk) {
          super.onChunk(chunk);
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      };
      Seen fast = new Seen();
      b.subscribe(task, 0, slow);
      b.subscribe(task, 0, fast);
      for (long seq = 1; seq <= 6; seq++) {
        b.publish(task, List.of(new OutputRecord(task, seq, OutputStreamKind.STDOUT, new byte[0],
            java.time.Instant.EPOCH)));
        long expected = seq;
        // The fast subscriber keeps up with every chunk while the slow one sits on chunk 1.
        await(() -> fast.seqs.size() == expected);
      }
      assertThat(b.subscriberCount()).as("the slow one was dropped").isEqualTo(1);
      release.countDown();
      await(() -> slow.overflowed);
      assertThat(fast.overflowed).isFalse();
    } finally {
      pool.shutdownNow();
    }
  }

  private static void await(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    var tick = new Object();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met in time").isLessThan(deadline);
      synchronized (tick) {
        tick.wait(5);
      }
    }
  }

  @Test
  void unknownTask_isRefusedForReadAndSubscribe() {
    TaskId missing = new TaskId("missing");
    assertThatThrownBy(() -> output.read(missing, 0, 10)).isInstanceOf(UnknownTaskException.class);
    assertThatThrownBy(() -> output.subscribe(missing, 0, new Seen()))
        .isInstanceOf(UnknownTaskException.class);
  }
}
