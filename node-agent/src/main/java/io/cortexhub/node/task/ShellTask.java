package io.cortexhub.node.task;

import com.google.protobuf.ByteString;
import io.cortexhub.node.policy.ResourceLimits;
import io.cortexhub.node.sandbox.QuotaUsage;
import io.cortexhub.node.sandbox.TaskQuota;
import io.cortexhub.proto.node.v1.OutputStream;
import io.cortexhub.proto.node.v1.TaskOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One running {@code shell} process and everything it spawned.
 *
 * <p>Lifecycle: launch, then three things must happen before {@link TaskEvents#finished}: stdout
 * reaches EOF, stderr reaches EOF, and the leader exits. When the leader exits, whatever it left
 * behind is killed at once — leftovers would otherwise hold the pipes open and the task would never
 * end (and there must be no orphans). Every process of the task is found through its process
 * group, its descendants, its marker and — the net nothing escapes — its quota's cgroup, which is
 * read for OOM kills and removed before the task is reported finished. Thread-safe; state guarded
 * by {@code this}.
 */
final class ShellTask implements RunningTask {
  private static final Logger LOG = Logger.getLogger(ShellTask.class.getName());
  /** Largest OutputChunk payload, as the protocol allows. */
  static final int MAX_CHUNK = 64 * 1024;
  /** How the JVM reports a process killed by SIGKILL (128 + 9). */
  private static final int SIGKILLED = 137;

  private final String taskId;
  private final String marker;
  private final boolean ownGroup;
  private final boolean treeDiesWithLeader;
  private final TaskEvents events;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final Executor io;
  private final ProcessTreeKiller killer;
  private final TaskQuota quota;
  private final ResourceLimits limits;
  private final String exe;
  private final AtomicInteger pending = new AtomicInteger(3); // stdout, stderr, leader exit

  private Process process;
  private long startedAt;
  private StopReason stopReason;
  private String stopDetail = "";
  private ScheduledFuture<?> timeout;
  private ScheduledFuture<?> escalation;
  private boolean done;

  /**
   * @param treeDiesWithLeader the kernel ends every process of the task when the leader exits (a PID
   *     namespace, see {@link io.cortexhub.node.sandbox.LaunchPlan}); the leftover search is skipped
   * @param exe what the task runs, for a start failure's detail
   * @param quota the task's quota; closed (processes killed, cgroup removed) before the task is
   *     reported finished
   */
  ShellTask(
      String taskId,
      String marker,
      boolean ownGroup,
      boolean treeDiesWithLeader,
      TaskEvents events,
      Clock clock,
      ScheduledExecutorService scheduler,
      Executor io,
      ProcessTreeKiller killer,
      TaskQuota quota,
      ResourceLimits limits,
      String exe) {
    this.taskId = taskId;
    this.marker = marker;
    this.ownGroup = ownGroup;
    this.treeDiesWithLeader = treeDiesWithLeader;
    this.events = events;
    this.clock = clock;
    this.scheduler = scheduler;
    this.io = io;
    this.killer = killer;
    this.quota = quota;
    this.limits = limits;
    this.exe = exe;
  }

  void launch(ProcessBuilder pb, ByteString stdin, long timeoutMs, Duration timeoutGrace) {
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      synchronized (this) {
        done = true;
      }
      quota.close();
      events.finished(TaskResult.couldNotStart(clock.millis(), "cannot start " + exe + ": " + e.getMessage()));
      return;
    }
    synchronized (this) {
      process = p;
      startedAt = clock.millis();
      if (timeoutMs > 0) {
        timeout =
            scheduler.schedule(
                () -> stop(StopReason.TIMED_OUT, "ran longer than " + timeoutMs + " ms", timeoutGrace),
                timeoutMs,
                TimeUnit.MILLISECONDS);
      }
    }
    events.started(startedAt, p.pid());
    io.execute(() -> pump(p.getInputStream(), OutputStream.OUTPUT_STREAM_STDOUT));
    io.execute(() -> pump(p.getErrorStream(), OutputStream.OUTPUT_STREAM_STDERR));
    if (!stdin.isEmpty()) {
      io.execute(() -> writeStdin(p, stdin));
    }
    p.onExit().whenComplete((ignored, error) -> io.execute(this::leaderExited));
  }

  @Override
  public void stop(StopReason reason, String detail, Duration grace) {
    Process p;
    synchronized (this) {
      if (done || stopReason != null || process == null) {
        return;
      }
      stopReason = reason;
      stopDetail = detail == null ? "" : detail;
      p = process;
      escalation =
          scheduler.schedule(
              () -> io.execute(() -> signalAll(p, true)), grace.toMillis(), TimeUnit.MILLISECONDS);
    }
    io.execute(() -> signalAll(p, false));
  }

  private void signalAll(Process p, boolean force) {
    synchronized (this) {
      if (force && done) {
        return;
      }
    }
    killer.signal(p.toHandle(), ownGroup ? p.pid() : -1, marker, force);
    if (force) {
      quota.killAll();
    } else {
      killer.signalPids(quota.pids(), false);
    }
  }

  private void pump(InputStream in, OutputStream stream) {
    byte[] buf = new byte[MAX_CHUNK];
    try (in) {
      while (true) {
        // Backpressure: while nothing can take more output, leave the pipe unread; the process
        // blocks on write (its timeout still runs) and nothing is dropped.
        events.awaitOutputRoom();
        // read() returns as soon as the pipe has bytes, so a line reaches the hub without delay.
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
          break;
        }
        events.output(stream, ByteString.copyFrom(buf, 0, n));
      }
    } catch (InterruptedException e) {
      // Only the agent's own shutdown interrupts pumps; closing the pipe lets the process die.
      Thread.currentThread().interrupt();
      LOG.log(Level.FINE, "pipe pump of task " + taskId + " interrupted");
    } catch (IOException e) {
      LOG.log(Level.FINE, "pipe of task " + taskId + " closed: " + e.getMessage());
    } finally {
      arrive();
    }
  }

  private void writeStdin(Process p, ByteString stdin) {
    try (java.io.OutputStream out = p.getOutputStream()) {
      stdin.writeTo(out);
    } catch (IOException e) {
      // The process may exit or close stdin before reading everything; that is its business.
      LOG.log(Level.FINE, "stdin of task " + taskId + " closed early: " + e.getMessage());
    }
  }

  private void leaderExited() {
    // Leftovers (background children) would hold the pipes open: kill them now, quietly. In a PID
    // namespace the kernel already has; the cgroup sweep stays, it costs one file read.
    if (!treeDiesWithLeader) {
      killer.signal(process.toHandle(), ownGroup ? process.pid() : -1, marker, true);
    }
    quota.killAll();
    arrive();
  }

  private void arrive() {
    if (pending.decrementAndGet() != 0) {
      return;
    }
    // Counters first, then the cgroup goes: nothing of the task outlives its report.
    QuotaUsage usage = quota.usage();
    quota.close();
    TaskResult result;
    synchronized (this) {
      done = true;
      if (timeout != null) {
        timeout.cancel(false);
      }
      if (escalation != null) {
        escalation.cancel(false);
      }
      int code = process.exitValue();
      long finishedAt = clock.millis();
      // 128 + n is how the JVM reports death by signal n: then there is no exit code to speak of.
      OptionalInt exit = code >= 128 ? OptionalInt.empty() : OptionalInt.of(code);
      if (usage.memoryExceeded(code == SIGKILLED)) {
        result = new TaskResult(TaskOutcome.TASK_OUTCOME_QUOTA_EXCEEDED, exit, startedAt, finishedAt,
            "memory limit of " + limits.memoryBytes() + " bytes exceeded: the kernel killed "
                + Math.max(1, usage.oomKills()) + " process(es)");
        LOG.info("task " + taskId + " exceeded its memory quota (" + usage + ")");
      } else if (stopReason != null) {
        String detail = stopDetail + (usage.processLimitReached()
            ? (stopDetail.isEmpty() ? "" : "; ") + "process limit of " + limits.maxProcesses() + " was reached" : "");
        result = new TaskResult(stopReason.outcome(), exit, startedAt, finishedAt, detail);
      } else if (code == 0) {
        result = new TaskResult(TaskOutcome.TASK_OUTCOME_SUCCEEDED, OptionalInt.of(0), startedAt, finishedAt, "");
      } else if (usage.processLimitReached()) {
        result = new TaskResult(TaskOutcome.TASK_OUTCOME_QUOTA_EXCEEDED, exit, startedAt, finishedAt,
            "process limit of " + limits.maxProcesses() + " reached (" + usage.processLimitHits()
                + " forks refused); exit code " + code);
        LOG.info("task " + taskId + " hit its process quota (" + usage + ")");
      } else {
        result = new TaskResult(TaskOutcome.TASK_OUTCOME_FAILED, OptionalInt.of(code), startedAt, finishedAt, "exit code " + code);
      }
    }
    events.finished(result);
  }
}
