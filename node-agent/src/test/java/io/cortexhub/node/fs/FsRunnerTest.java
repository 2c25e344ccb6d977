package io.cortexhub.node.fs;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cortexhub.node.task.RunningTask;
import io.cortexhub.node.task.StopReason;
import io.cortexhub.proto.node.v1.OutputStream;
import io.cortexhub.proto.node.v1.TaskOutcome;
import io.cortexhub.proto.node.v1.TaskSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The runner's contract with the task flow: how it starts, reports, stops and never throws. */
@EnabledOnOs(OS.LINUX)
class FsRunnerTest {
  @TempDir Path ws;

  /** An executor that only runs what it was given when the test says so. */
  static final class QueuedExecutor implements java.util.concurrent.Executor {
    final Queue<Runnable> queue = new ArrayDeque<>();

    @Override
    public synchronized void execute(Runnable r) {
      queue.add(r);
    }

    synchronized void runAll() {
      while (!queue.isEmpty()) {
        queue.poll().run();
      }
    }
  }

  private FsRunner runner(java.util.concurrent.Executor io, FileChangeListener listener) {
    return new FsRunner(List.of(new FsRoot(ws, true)), FsLimits.DEFAULTS, listener, Clock.systemUTC(), io);
  }

  @Test
  void start_reportsStartedAndReturns_theOperationRunsOnTheIoExecutor() throws Exception {
    QueuedExecutor io = new QueuedExecutor();
    FsHarness.Events events = new FsHarness.Events();
    RunningTask task = runner(io, FileChangeListener.NONE).start(FsHarness.spec("t1", Ops.write("f", "x"), 0), ws, events);
    assertThat(task).isNotSameAs(RunningTask.DONE);
    assertThat(events.started).isTrue();
    assertThat(events.finished).isNotDone();
    assertThat(ws.resolve("f")).doesNotExist();
    io.runAll();
    assertThat(events.await().succeeded()).isTrue();
    assertThat(runner(io, FileChangeListener.NONE).capability()).isEqualTo("fs");
  }

  @Test
  void aSpecWithoutAnFsPayload_endsFailed() throws Exception {
    FsHarness.Events events = new FsHarness.Events();
    TaskSpec echo = TaskSpec.newBuilder().setTaskId("t").setCapability("fs").build();
    assertThat(runner(Runnable::run, FileChangeListener.NONE).start(echo, ws, events)).isSameAs(RunningTask.DONE);
    FsHarness.Run run = events.await();
    assertThat(run.result().outcome()).isEqualTo(TaskOutcome.TASK_OUTCOME_FAILED);
    assertThat(run.detail()).isEqualTo("the task has no fs payload");
  }

  @Test
  void aRejectingExecutor_endsTheTaskFailed_withoutThrowing() throws Exception {
    FsHarness.Events events = new FsHarness.Events();
    FsRunner r = runner(cmd -> {
      throw new RejectedExecutionException("pool shut down");
    }, FileChangeListener.NONE);
    assertThat(r.start(FsHarness.spec("t", Ops.write("f", "x"), 0), ws, events)).isSameAs(RunningTask.DONE);
    assertThat(events.await().detail()).isEqualTo("agent busy: cannot schedule the fs operation: pool shut down");
  }

  @Test
  void stopBeforeTheOperationRuns_endsCancelled_andChangesNothing() throws Exception {
    QueuedExecutor io = new QueuedExecutor();
    FsHarness.Events events = new FsHarness.Events();
    RunningTask task = runner(io, FileChangeListener.NONE).start(FsHarness.spec("t", Ops.write("f", "x"), 0), ws, events);
    task.stop(StopReason.AGENT_SHUTDOWN, "agent is shutting down", Duration.ZERO);
    io.runAll();
    FsHarness.Run run = events.await();
    assertThat(run.result().outcome()).isEqualTo(TaskOutcome.TASK_OUTCOME_CANCELLED);
    assertThat(run.detail()).isEqualTo("agent is shutting down");
    assertThat(ws.resolve("f")).doesNotExist();
  }

  @Test
  void stopAfterTheChangeIsMade_stillReportsSuccess() throws Exception {
    QueuedExecutor io = new QueuedExecutor();
    AtomicReference<RunningTask> handle = new AtomicReference<>();
    FileChangeListener stopper = (id, p, b, a) -> handle.get().stop(StopReason.CANCELLED, "too late", Duration.ZERO);
    FsHarness.Events events = new FsHarness.Events();
    handle.set(runner(io, stopper).start(FsHarness.spec("t", Ops.write("f", "x"), 0), ws, events));
    io.runAll();
    FsHarness.Run run = events.await();
    assertThat(run.succeeded()).isTrue();
    assertThat(run.text()).contains("\"op\":\"write\"");
    assertThat(ws.resolve("f")).hasContent("x");
  }

  @Test
  void stopWhileHeldBackByOutputBackpressure_endsTheWait_andTheThreadStaysUsable() throws Exception {
    Files.write(ws.resolve("big"), new byte[300_000]);
    CountDownLatch blocked = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    FsHarness.Events stuck = new FsHarness.Events() {
      private int chunks;

      @Override
      public void awaitOutputRoom() throws InterruptedException {
        if (++chunks > 2) { // room for two chunks, then the hub stops acknowledging
          blocked.countDown();
          never.await();
        }
      }
    };
    ExecutorService io = Executors.newSingleThreadExecutor();
    try {
      FsRunner r = runner(io, FileChangeListener.NONE);
      RunningTask task = r.start(FsHarness.spec("t", Ops.read("big"), 0), ws, stuck);
      assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
      task.stop(StopReason.CANCELLED, "cancelled by the hub", Duration.ofSeconds(1));
      FsHarness.Run run = stuck.await();
      assertThat(run.result().outcome()).isEqualTo(TaskOutcome.TASK_OUTCOME_CANCELLED);
      assertThat(run.stdout()).hasSize(2 * FsTask.MAX_CHUNK);
      // The same I/O thread runs the next task: no interrupt was left behind to close its channels.
      FsHarness.Events next = new FsHarness.Events();
      r.start(FsHarness.spec("t2", Ops.write("after", "ok"), 0), ws, next);
      assertThat(next.await().succeeded()).isTrue();
    } finally {
      io.shutdownNow();
    }
  }

  @Test
  void everyFailureEndsTheTask_neverAnExceptionOutOfStart() throws Exception {
    FsHarness.Events events = new FsHarness.Events() {
      @Override
      public synchronized void output(OutputStream stream, ByteString data) {
        throw new IllegalStateException("buffer broken");
      }
    };
    runner(Runnable::run, FileChangeListener.NONE).start(FsHarness.spec("t", Ops.stat(""), 0), ws, events);
    assertThat(events.await().detail()).isEqualTo("agent error: java.lang.IllegalStateException: buffer broken");
  }
}
