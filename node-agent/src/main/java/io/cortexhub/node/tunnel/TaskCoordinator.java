package io.cortexhub.node.tunnel;

import com.google.protobuf.ByteString;
import io.cortexhub.node.audit.AuditTypes;
import io.cortexhub.node.consent.ConsentBroker;
import io.cortexhub.node.consent.ConsentDecision;
import io.cortexhub.node.consent.ConsentRequest;
import io.cortexhub.node.consent.PendingConsent;
import io.cortexhub.node.logging.AgentLog;
import io.cortexhub.node.task.Admission;
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
import io.cortexhub.proto.node.v1.TaskAwaitingConsent;
import io.cortexhub.proto.node.v1.TaskFinishedAck;
import io.cortexhub.proto.node.v1.TaskOutcome;
import io.cortexhub.proto.node.v1.TaskRejected;
import io.cortexhub.proto.node.v1.TaskSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Turns the hub's task frames into work, each step written to the audit trail: {@code
 * task.received} → admission ({@code task.rejected} or {@code task.verified}) → the node's own
 * policy ({@code policy.refused} / {@code policy.change-refused}, then POLICY) → the owner's
 * consent when the mode asks for it ({@code consent.requested}, {@code consent.decided}; a no or
 * no answer is CONSENT_DENIED) → the runner ({@code process.started}, {@code process.exited},
 * {@code quota.killed}). Also applies acknowledgements and cancels.
 *
 * <p>A task waiting for consent holds its slot: it is in the ledger (and in the resume state of
 * every Hello), sends {@code TaskAwaitingConsent} once, and only then {@code TaskAccepted} or its
 * refusal, both through the ledger so that a decision taken while the hub is away reaches it
 * after the reconnect. A Cancel withdraws the question and ends the task CANCELLED.
 *
 * <p>Everything here runs on the node's serial executor, except the {@link TaskEvents} callbacks
 * and consent answers, which hop onto it (output goes straight into the task's thread-safe buffer).
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
  private final TaskPreflight preflight;
  private final TaskControls controls;
  private final AuditTrail audit;
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
      NodeSecurity security,
      TaskControls controls) {
    this.settings = settings;
    this.ledger = ledger;
    this.admission = new TaskAdmission(runners.keySet(), security.verifier(), security.replayCache(), clock);
    this.controls = controls;
    this.preflight = new TaskPreflight(controls);
    this.audit = controls.audit();
    this.runners = Map.copyOf(runners);
    this.clock = clock;
    this.loop = loop;
    this.io = io;
    this.metrics = metrics;
    this.log = log;
    this.outbound = outbound;
  }

  void onAssignment(TaskAssignment assignment) {
    audit.record(AuditTypes.TASK_RECEIVED, TaskAudit.claimedTaskId(assignment), TaskAudit.received(assignment));
    Admission decision = admission.decide(assignment, ledger);
    if (decision instanceof Admission.Reject r) {
      reject(r.taskId(), r.reason(), r.detail());
      return;
    }
    TaskSpec spec = ((Admission.Accept) decision).spec();
    String id = spec.getTaskId();
    audit.record(AuditTypes.TASK_VERIFIED, id, TaskAudit.verified(assignment, spec));
    Path taskDir = settings.taskDir(id);
    TaskPreflight.Verdict verdict = preflight.check(spec, taskDir);
    if (verdict instanceof TaskPreflight.Verdict.Refused r) {
      audit.record(r.auditType(), id, r.fields());
      reject(id, RejectReason.REJECT_REASON_POLICY, r.reason());
      removeTaskDir(taskDir, log);
      return;
    }
    AgentLog taskLog = log.forTask(id, spec.getTrace().getTraceparent());
    TaskRecord rec = ledger.add(spec, taskLog);
    TaskPreflight.Verdict.Cleared cleared = (TaskPreflight.Verdict.Cleared) verdict;
    if (cleared.consent().isPresent()) {
      askOwner(rec, cleared.consent().get());
      return;
    }
    metrics.taskAccepted();
    outbound.sendNow(accepted(id));
    if (taskLog.isDebug()) {
      taskLog.debug("accepted " + spec.getCapability() + " task");
    }
    start(rec, cleared);
  }

  private void start(TaskRecord rec, TaskPreflight.Verdict.Cleared cleared) {
    TaskSpec spec = rec.spec;
    RecordEvents events = new RecordEvents(rec, TaskAudit.startFacts(spec, cleared, controls));
    TaskRunner runner = runners.get(spec.getCapability());
    try {
      rec.running = runner.start(spec, settings.taskDir(rec.id()), events);
    } catch (RuntimeException e) {
      rec.log.error("runner failed to start the task", e);
      events.finished(TaskResult.couldNotStart(clock.millis(), "agent error: " + e));
    }
  }

  /** Refuses an assignment that took no slot: audited, logged, told to the hub at once. */
  private void reject(String taskId, RejectReason reason, String detail) {
    metrics.taskRejected();
    String line = "rejected task: " + reason + ": " + detail;
    if (SECURITY_REFUSALS.contains(reason)) {
      log.forTask(taskId, "").warn(line);
    } else {
      log.forTask(taskId, "").info(line);
    }
    audit.record(AuditTypes.TASK_REJECTED, taskId, TaskAudit.rejected(reason, detail));
    outbound.sendNow(rejection(taskId, reason, detail));
  }

  // ---- consent ----

  private void askOwner(TaskRecord rec, ConsentRequest request) {
    ConsentBroker broker = controls.consent().orElseThrow();
    rec.awaitConsent();
    CompletableFuture<ConsentDecision> answer = broker.request(request);
    Optional<PendingConsent> pending = broker.pendingFor(rec.id());
    if (pending.isPresent()) {
      PendingConsent p = pending.get();
      audit.record(AuditTypes.CONSENT_REQUESTED, rec.id(), TaskAudit.consentRequested(p));
      outbound.sendNow(
          NodeFrame.newBuilder()
              .setAwaitingConsent(
                  TaskAwaitingConsent.newBuilder()
                      .setTaskId(rec.id())
                      .setPrompt(p.prompt())
                      .setDeadlineUnixMs(p.deadline().toEpochMilli()))
              .build());
      rec.log.info("waiting for the owner's consent until " + p.deadline() + " (cortex-node approve " + p.id()
          + " | cortex-node deny " + p.id() + "): " + p.prompt());
    }
    answer.whenComplete((d, error) -> loop.execute(() -> consentAnswered(rec, request, d, error)));
  }

  private void consentAnswered(TaskRecord rec, ConsentRequest asked, ConsentDecision d, Throwable error) {
    if (error != null || ledger.get(rec.id()).orElse(null) != rec || !rec.isAwaitingConsent()) {
      return; // withdrawn: the task was cancelled or the agent stops, and that path ended it
    }
    audit.record(AuditTypes.CONSENT_DECIDED, rec.id(), TaskAudit.consentDecided(d));
    if (!d.approved()) {
      String detail = d.verdict() == ConsentDecision.Verdict.TIMED_OUT
          ? "the node's owner did not answer consent request " + d.requestId() + " in time"
          : "the node's owner denied consent request " + d.requestId() + " (" + d.decidedBy() + ")";
      refuseHeld(rec, RejectReason.REJECT_REASON_CONSENT_DENIED, detail);
      return;
    }
    // What runs must be exactly what the owner approved (argv[0] resolves again at start).
    TaskPreflight.Verdict again = preflight.check(rec.spec, settings.taskDir(rec.id()));
    Optional<ConsentRequest> now =
        again instanceof TaskPreflight.Verdict.Cleared c ? c.consent() : Optional.empty();
    if (now.isEmpty() || !now.get().argv().equals(asked.argv()) || !now.get().cwd().equals(asked.cwd())) {
      String detail = "the command changed on this node after the owner approved it"
          + (again instanceof TaskPreflight.Verdict.Refused r ? ": " + r.reason() : "; not run");
      audit.record(AuditTypes.POLICY_REFUSED, rec.id(), Map.of("reason", detail));
      refuseHeld(rec, RejectReason.REJECT_REASON_POLICY, detail);
      return;
    }
    metrics.taskAccepted();
    rec.consentGiven(accepted(rec.id()));
    rec.log.info("the owner approved (" + d.decidedBy() + "); starting");
    start(rec, (TaskPreflight.Verdict.Cleared) again);
    outbound.pumpSoon();
  }

  private void refuseHeld(TaskRecord rec, RejectReason reason, String detail) {
    metrics.taskRejected();
    rec.log.info("rejected task: " + reason + ": " + detail);
    audit.record(AuditTypes.TASK_REJECTED, rec.id(), TaskAudit.rejected(reason, detail));
    ledger.refuseHeld(rec, rejection(rec.id(), reason, detail));
    removeTaskDir(settings.taskDir(rec.id()), rec.log);
    outbound.pumpSoon();
  }

  /** Withdraws the question of a task that waits for consent and ends it CANCELLED. */
  private void withdraw(TaskRecord rec, String why) {
    controls.consent().ifPresent(b -> b.withdraw(rec.id()));
    audit.record(AuditTypes.CONSENT_DECIDED, rec.id(), Map.of("verdict", "WITHDRAWN", "decidedBy", "agent", "reason", why));
    long now = clock.millis();
    ledger.finished(rec, new TaskResult(TaskOutcome.TASK_OUTCOME_CANCELLED, OptionalInt.empty(), now, now,
        "cancelled while awaiting the owner's consent: " + why));
    audit.record(AuditTypes.PROCESS_EXITED, rec.id(), TaskAudit.exited(rec.spec, false,
        new TaskResult(TaskOutcome.TASK_OUTCOME_CANCELLED, OptionalInt.empty(), now, now, why)));
    removeTaskDir(settings.taskDir(rec.id()), rec.log);
    outbound.pumpSoon();
    outbound.taskSettled();
  }

  // ---- hub frames about held tasks ----

  void onOutputAck(OutputAck ack) {
    ledger.get(ack.getTaskId()).ifPresent(rec -> rec.acked(ack.getSeq()));
    outbound.pumpSoon();
  }

  void onFinishedAck(TaskFinishedAck ack) {
    ledger.get(ack.getTaskId()).filter(TaskRecord::isAwaitingConsent)
        .ifPresent(rec -> withdraw(rec, "the hub acknowledged the task's end"));
    ledger
        .forget(ack.getTaskId())
        .ifPresent(
            rec -> {
              if (!rec.isFinished()) {
                // The hub says it is over while it still runs here: stop it rather than leak it.
                rec.log.warn("hub acknowledged the end of a task still running; stopping it");
                rec.running.stop(StopReason.CANCELLED, "hub acknowledged end", ShellRunner.DEFAULT_KILL_GRACE);
              }
              removeTaskDir(settings.taskDir(rec.id()), rec.log);
              outbound.taskSettled();
            });
  }

  void onCancel(Cancel cancel) {
    ledger
        .get(cancel.getTaskId())
        .ifPresentOrElse(
            rec -> {
              rec.resumeWithoutAck();
              String why = cancel.getReason().isEmpty() ? "cancelled by the hub" : cancel.getReason();
              if (rec.isAwaitingConsent()) {
                rec.log.info("cancelled while awaiting consent; the request is withdrawn: " + why);
                withdraw(rec, why);
                return;
              }
              if (rec.isFinished()) {
                return; // already over; its TaskFinished tells the hub how
              }
              Duration grace =
                  cancel.getGraceMs() > 0
                      ? Duration.ofMillis(cancel.getGraceMs())
                      : ShellRunner.DEFAULT_KILL_GRACE;
              rec.log.info("cancelling task (grace " + grace.toMillis() + " ms): " + why);
              rec.running.stop(StopReason.CANCELLED, why, grace);
            },
            () -> log.forTask(cancel.getTaskId(), "").debug("cancel for an unknown task ignored"));
  }

  /**
   * Stops every running task (agent shutdown) and withdraws every consent question. Their output
   * can no longer be delivered by this process, so buffers are abandoned: producers held back by a
   * full spool are released and the spill files deleted.
   */
  void stopAll(StopReason reason, Duration grace) {
    for (TaskRecord rec : ledger.all()) {
      rec.buffer.abandon();
      if (rec.isAwaitingConsent()) {
        withdraw(rec, "the agent is shutting down");
      } else if (!rec.isFinished()) {
        rec.running.stop(reason, "agent is shutting down", grace);
      }
    }
  }

  private void removeTaskDir(Path dir, AgentLog taskLog) {
    io.execute(() -> TaskDirs.deleteTree(dir, taskLog));
  }

  private static NodeFrame accepted(String taskId) {
    return NodeFrame.newBuilder().setTaskAccepted(TaskAccepted.newBuilder().setTaskId(taskId)).build();
  }

  private static NodeFrame rejection(String taskId, RejectReason reason, String detail) {
    return NodeFrame.newBuilder()
        .setTaskRejected(TaskRejected.newBuilder().setTaskId(taskId).setReason(reason).setDetail(detail))
        .build();
  }

  /** Routes one task's runner callbacks into the ledger and the audit trail. */
  private final class RecordEvents implements TaskEvents {
    private final TaskRecord rec;
    private final Map<String, Object> startFacts;
    private volatile boolean started;

    RecordEvents(TaskRecord rec, Map<String, Object> startFacts) {
      this.rec = rec;
      this.startFacts = startFacts;
    }

    @Override
    public void started(long startedAtUnixMs, long pid) {
      started = true;
      audit.record(AuditTypes.PROCESS_STARTED, rec.id(), TaskAudit.started(startFacts, pid));
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
      audit.record(AuditTypes.PROCESS_EXITED, rec.id(), TaskAudit.exited(rec.spec, started, result));
      if (result.outcome() == TaskOutcome.TASK_OUTCOME_QUOTA_EXCEEDED) {
        audit.record(AuditTypes.QUOTA_KILLED, rec.id(), TaskAudit.quotaKilled(result, controls));
      }
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
