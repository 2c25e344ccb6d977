package io.cortexhub.node.tunnel;

import com.google.protobuf.ByteString;
import io.cortexhub.node.logging.AgentLog;
import io.cortexhub.node.task.Admission;
import io.cortexhub.node.task.RunningTask;
import io.cortexhub.node.task.ShellRunner;
import io.cortexhub.node.task.StopReason;
import io.cortexhub.node.task.TaskAdmission;
import io.cortexhub.node.task.TaskEvents;
import io.cortexhub.node.task.TaskResult;
import io.cortexhub.node.task.TaskRunner;
import io.cortexhub.proto.node.v1.Cancel;
import io.cortexhub.proto.node.v1.NodeFrame;
import io.cortexhub.proto.node.v1.OutputAck;
import io.cortexhub.proto.node.v1.OutputStream;
import io.cortexhub.proto.node.v1.RejectReason;
import io.cortexhub.proto.node.v1.TaskAccepted;
import io.cortexhub.proto.node.v1.TaskAssignment;
import io.cortexhub.proto.node.v1.TaskFinishedAck;
import io.cortexhub.proto.node.v1.TaskOutcome;
import io.cortexhub.proto.node.v1.TaskRejected;
import io.cortexhub.proto.node.v1.TaskSpec;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * Turns the hub's task frames into work: admits or rejects assignments, starts runners, routes
 * their events into the ledger, and applies acknowledgements and cancels.
 *
 * <p>Everything here runs on the node's serial executor, except the {@link TaskEvents} callbacks,
 * which hop onto it (output goes straight into the task's thread-safe buffer).
 */
final class TaskCoordinator {
  /** How the coordinator reaches the current stream, whichever it is. */
  interface Outbound {
    /** Sends a small control frame now if a session is open; otherwise drops it. */
    void sendNow(NodeFrame frame);

    /** Asks for queued task frames to be sent as soon as the stream is ready. */
    void pumpSoon();

    /** A task finished or was forgotten (drain and shutdown wait for this). */
    void taskSettled();
  }

  /** Refusals that mean someone sent what the hub would not have: logged as warnings. */
  private static final Set<RejectReason> SECURITY_REFUSALS =
      EnumSet.of(
          RejectReason.REJECT_REASON_BAD_SIGNATURE,
          RejectReason.REJECT_REASON_WRONG_NODE,
          RejectReason.REJECT_REASON_EXPIRED,
          RejectReason.REJECT_REASON_REPLAYED);

  private final AgentSettings settings;
  private final TaskLedger ledger;
  private final TaskAdmission admission;
  private final Map<String, TaskRunner> runners;
  private final Clock clock;
  private final Executor loop;
  private final Executor io;
  private final AgentMetrics metrics;
  private final AgentLog log;
  private final Outbound outbound;

  TaskCoordinator(
      AgentSettings settings,
      TaskLedger ledger,
      Map<String, TaskRunner> runners,
      Clock clock,
      Executor loop,
      Executor io,
      AgentMetrics metrics,
      AgentLog log,
      Outbound outbound,
      NodeSecurity security) {
    this.settings = settings;
    this.ledger = ledger;
    this.admission = new TaskAdmission(runners.keySet(), security.verifier(), security.replayCache(), clock);
    this.runners = Map.copyOf(runners);
    this.clock = clock;
    this.loop = loop;
    this.io = io;
    this.metrics = metrics;
    this.log = log;
    this.outbound = outbound;
  }

  void onAssignment(TaskAssignment assignment) {
    Admission decision = admission.decide(assignment, ledger);
    if (decision instanceof Admission.Reject r) {
      metrics.taskRejected();
      String line = "rejected task: " + r.reason() + ": " + r.detail();
      if (SECURITY_REFUSALS.contains(r.reason())) {
        log.forTask(r.taskId(), "").warn(line);
      } else {
        log.forTask(r.taskId(), "").info(line);
      }
      outbound.sendNow(
          NodeFrame.newBuilder()
              .setTaskRejected(
                  TaskRejected.newBuilder()
                      .setTaskId(r.taskId())
                      .setReason(r.reason())
                      .setDetail(r.detail()))
              .build());
      return;
    }
    TaskSpec spec = ((Admission.Accept) decision).spec();
    AgentLog taskLog = log.forTask(spec.getTaskId(), spec.getTrace().getTraceparent());
    TaskRecord rec = ledger.add(spec, taskLog);
    metrics.taskAccepted();
    outbound.sendNow(
        NodeFrame.newBuilder()
            .setTaskAccepted(TaskAccepted.newBuilder().setTaskId(spec.getTaskId()))
            .build());
    if (taskLog.isDebug()) {
      taskLog.debug("accepted " + spec.getCapability() + " task");
    }
    TaskRunner runner = runners.get(spec.getCapability());
    try {
      rec.running = runner.start(spec, settings.taskDir(spec.getTaskId()), new RecordEvents(rec));
    } catch (RuntimeException e) {
      taskLog.error("runner failed to start the task", e);
      new RecordEvents(rec)
          .finished(TaskResult.couldNotStart(clock.millis(), "agent error: " + e));
    }
  }

  void onOutputAck(OutputAck ack) {
    ledger.get(ack.getTaskId()).ifPresent(rec -> rec.acked(ack.getSeq()));
    outbound.pumpSoon();
  }

  void onFinishedAck(TaskFinishedAck ack) {
    ledger
        .forget(ack.getTaskId())
        .ifPresent(
            rec -> {
              if (!rec.isFinished()) {
                // The hub says it is over while it still runs here: stop it rather than leak it.
                rec.log.warn("hub acknowledged the end of a task still running; stopping it");
                rec.running.stop(StopReason.CANCELLED, "hub acknowledged end", ShellRunner.DEFAULT_KILL_GRACE);
              }
              Path dir = settings.taskDir(rec.id());
              io.execute(() -> deleteTree(dir, rec.log));
              outbound.taskSettled();
            });
  }

  void onCancel(Cancel cancel) {
    ledger
        .get(cancel.getTaskId())
        .ifPresentOrElse(
            rec -> {
              rec.resumeWithoutAck();
              if (rec.isFinished()) {
                return; // already over; its TaskFinished tells the hub how
              }
              Duration grace =
                  cancel.getGraceMs() > 0
                      ? Duration.ofMillis(cancel.getGraceMs())
                      : ShellRunner.DEFAULT_KILL_GRACE;
              String why = cancel.getReason().isEmpty() ? "cancelled by the hub" : cancel.getReason();
              rec.log.info("cancelling task (grace " + grace.toMillis() + " ms): " + why);
              rec.running.stop(StopReason.CANCELLED, why, grace);
            },
            () -> log.forTask(cancel.getTaskId(), "").debug("cancel for an unknown task ignored"));
  }

  /**
   * Stops every running task (agent shutdown). Their output can no longer be delivered by this
   * process, so buffers are abandoned: producers held back by a full spool are released and the
   * spill files deleted.
   */
  void stopAll(StopReason reason, Duration grace) {
    for (TaskRecord rec : ledger.all()) {
      rec.buffer.abandon();
      if (!rec.isFinished()) {
        rec.running.stop(reason, "agent is shutting down", grace);
      }
    }
  }

  private static void deleteTree(Path dir, AgentLog log) {
    if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              Files.delete(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      log.warn("cannot remove task directory " + dir + ": " + e.getMessage());
    }
  }

  /** Routes one task's runner callbacks into the ledger. */
  private final class RecordEvents implements TaskEvents {
    private final TaskRecord rec;

    RecordEvents(TaskRecord rec) {
      this.rec = rec;
    }

    @Override
    public void started(long startedAtUnixMs, long pid) {
      loop.execute(
          () -> {
            ledger.started(rec, startedAtUnixMs, pid);
            if (rec.log.isDebug()) {
              rec.log.debug("started" + (pid > 0 ? " as pid " + pid : ""));
            }
            outbound.pumpSoon();
          });
    }

    @Override
    public void output(OutputStream stream, ByteString data) {
      rec.buffer.appendOutput(stream, data, clock.millis());
      outbound.pumpSoon();
    }

    @Override
    public void awaitOutputRoom() throws InterruptedException {
      rec.buffer.awaitRoom();
    }

    @Override
    public void finished(TaskResult result) {
      loop.execute(
          () -> {
            ledger.finished(rec, result);
            metrics.taskFinished();
            OptionalInt code = result.exitCode();
            if (rec.log.isDebug() || result.outcome() != TaskOutcome.TASK_OUTCOME_SUCCEEDED) {
              rec.log.info(
                  "finished "
                      + result.outcome()
                      + (code.isPresent() ? " exit " + code.getAsInt() : "")
                      + (result.detail().isEmpty() ? "" : ": " + result.detail()));
            }
            outbound.pumpSoon();
            outbound.taskSettled();
          });
    }
  }
}
