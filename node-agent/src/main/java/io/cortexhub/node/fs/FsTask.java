package io.cortexhub.node.fs;

import com.google.protobuf.ByteString;
import io.cortexhub.node.task.RunningTask;
import io.cortexhub.node.task.StopReason;
import io.cortexhub.node.task.TaskEvents;
import io.cortexhub.node.task.TaskResult;
import io.cortexhub.proto.node.v1.FsPayload;
import io.cortexhub.proto.node.v1.OutputStream;
import io.cortexhub.proto.node.v1.TaskOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One running {@code fs} task: runs its operation on an I/O thread, streams the result as stdout
 * chunks and reports exactly one {@link TaskResult}, whatever happens.
 *
 * <p>Stopping (cancel, agent shutdown) and the task's timeout are cooperative: operations call
 * {@link #checkpoint()} between steps (chunks, entries) and before they commit, so a change is
 * either made completely or not at all. A thread blocked waiting (for a lock or for output room) is
 * interrupted, but only inside {@link #await}: the interrupt never reaches file I/O or the change
 * listener, where it would close channels (an audit log's among them). Thread-safe.
 */
final class FsTask implements RunningTask, Runnable {
  private static final Logger LOG = Logger.getLogger(FsTask.class.getName());

  /** The protocol's largest output chunk. */
  static final int MAX_CHUNK = 64 * 1024;

  /** A blocking wait that an interrupt may end. */
  interface Wait<T> {
    T call() throws IOException, InterruptedException;
  }

  /** Thrown through an operation when the task was stopped or timed out. */
  private static final class Stopped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Stopped() {
      super(null, null, false, false);
    }
  }

  private final String taskId;
  private final FsPayload payload;
  private final FsOperations ops;
  private final TaskEvents events;
  private final Clock clock;
  private final long startedAt;
  private final long deadline;
  private final AtomicBoolean finished = new AtomicBoolean();
  private StopReason stopReason;
  private String stopDetail;
  private Thread waiting;
  private boolean committed;

  FsTask(String taskId, FsPayload payload, FsOperations ops, TaskEvents events, Clock clock, long timeoutMs) {
    this.taskId = taskId;
    this.payload = payload;
    this.ops = ops;
    this.events = events;
    this.clock = clock;
    this.startedAt = clock.millis();
    this.deadline = timeoutMs > 0 ? startedAt + timeoutMs : Long.MAX_VALUE;
  }

  String taskId() {
    return taskId;
  }

  long startedAt() {
    return startedAt;
  }

  @Override
  public void run() {
    try {
      ops.run(payload, this);
      finish(new TaskResult(TaskOutcome.TASK_OUTCOME_SUCCEEDED, OptionalInt.of(0), startedAt, clock.millis(), ""));
    } catch (FsRefusedException e) {
      LOG.log(Level.INFO, "fs task " + taskId + " refused: " + e.reason());
      fail("refused: " + e.reason());
    } catch (Stopped e) {
      stopped();
    } catch (NoSuchFileException e) {
      fail(e.getFile() + " does not exist");
    } catch (IOException e) {
      if (stopRequested()) {
        stopped();
      } else {
        LOG.log(Level.INFO, "fs task " + taskId + " failed: " + e);
        fail("i/o error: " + describe(e));
      }
    } catch (InterruptedException e) {
      stopped();
    } catch (RuntimeException | Error e) {
      LOG.log(Level.WARNING, "fs task " + taskId + " failed unexpectedly", e);
      fail("agent error: " + e);
    }
  }

  /** Ends the task without running it (the executor refused the work). */
  void abandon(String detail) {
    fail(detail);
  }

  @Override
  public void stop(StopReason reason, String detail, Duration grace) {
    synchronized (this) {
      if (stopReason != null || committed || finished.get()) {
        return; // a made change is reported as made, not as cancelled
      }
      stopReason = reason;
      stopDetail = detail == null ? "" : detail;
      if (waiting != null) {
        waiting.interrupt();
      }
    }
  }

  /**
   * Marks the change as made: from here on the task runs to its end (reporting the change) and
   * succeeds, whatever stop requests or timeouts arrive.
   */
  synchronized void committed() {
    committed = true;
  }

  /** Ends the operation here if the task was stopped or ran out of time. */
  void checkpoint() {
    if (stopRequested()) {
      throw new Stopped();
    }
  }

  /**
   * Runs a blocking wait that {@link #stop} may interrupt. The interrupt status is cleared on the way
   * out, so nothing after the wait sees a stray interrupt.
   */
  <T> T await(Wait<T> wait) throws IOException, InterruptedException {
    synchronized (this) {
      checkpoint();
      waiting = Thread.currentThread();
    }
    try {
      return wait.call();
    } finally {
      synchronized (this) {
        waiting = null;
        Thread.interrupted();
      }
    }
  }

  /** Sends bytes as stdout, in protocol-sized chunks, waiting for room before each. */
  void output(ByteString data) throws IOException, InterruptedException {
    for (int from = 0; from < data.size(); from += MAX_CHUNK) {
      checkpoint();
      await(() -> {
        events.awaitOutputRoom();
        return null;
      });
      events.output(OutputStream.OUTPUT_STREAM_STDOUT, data.substring(from, Math.min(data.size(), from + MAX_CHUNK)));
    }
  }

  /** Sends a result document as JSON on stdout. */
  void json(Object document) throws IOException, InterruptedException {
    output(ByteString.copyFrom(Json.write(document), StandardCharsets.UTF_8));
  }

  private synchronized boolean stopRequested() {
    if (committed) {
      return false;
    }
    if (stopReason == null && clock.millis() > deadline) {
      stopReason = StopReason.TIMED_OUT;
      stopDetail = "fs operation ran past its timeout of " + (deadline - startedAt) + " ms";
    }
    return stopReason != null;
  }

  private void stopped() {
    TaskResult r;
    synchronized (this) {
      if (stopReason == null) {
        // Interrupted by someone other than stop(): the agent's executor going down.
        stopReason = StopReason.AGENT_SHUTDOWN;
        stopDetail = "agent is shutting down";
      }
      r = new TaskResult(stopReason.outcome(), OptionalInt.empty(), startedAt, clock.millis(), stopDetail);
    }
    LOG.log(Level.INFO, "fs task " + taskId + " stopped: " + r.outcome() + " " + r.detail());
    finish(r);
  }

  private void fail(String detail) {
    finish(new TaskResult(TaskOutcome.TASK_OUTCOME_FAILED, OptionalInt.empty(), startedAt, clock.millis(), detail));
  }

  private void finish(TaskResult r) {
    if (finished.compareAndSet(false, true)) {
      events.finished(r);
    }
  }

  private static String describe(IOException e) {
    String name = e.getClass().getSimpleName();
    return e.getMessage() == null ? name : name + ": " + e.getMessage();
  }
}
