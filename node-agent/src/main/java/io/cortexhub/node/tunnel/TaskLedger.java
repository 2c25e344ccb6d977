package io.cortexhub.node.tunnel;

import io.cortexhub.node.logging.AgentLog;
import io.cortexhub.node.output.OutputBuffer;
import io.cortexhub.node.output.SpoolBudget;
import io.cortexhub.node.task.AdmissionState;
import io.cortexhub.node.task.SessionGrant;
import io.cortexhub.node.task.TaskResult;
import io.cortexhub.proto.node.v1.NodeFrame;
import io.cortexhub.proto.node.v1.TaskFinished;
import io.cortexhub.proto.node.v1.TaskResumeState;
import io.cortexhub.proto.node.v1.TaskSpec;
import io.cortexhub.proto.node.v1.TaskStarted;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tasks a node holds — running, or finished and not yet acknowledged — and the order in which
 * their frames go out.
 *
 * <p>Frames are taken round-robin across tasks so that one chatty task cannot starve the others.
 * Confined to the node's serial executor.
 */
final class TaskLedger implements AdmissionState {
  private final AgentSettings settings;
  private final SpoolBudget spoolBudget;
  private final Map<String, TaskRecord> tasks = new LinkedHashMap<>();
  private final List<TaskRecord> order = new ArrayList<>();
  private final RecentIds<String> recentIds;
  private int nextTurn;
  private int running;
  private Optional<String> nodeId = Optional.empty();
  private boolean draining;
  private Optional<SessionGrant> sessionGrant = Optional.empty();

  TaskLedger(AgentSettings settings) {
    this.settings = settings;
    this.spoolBudget = new SpoolBudget(settings.maxSpoolBytes());
    this.recentIds = new RecentIds<>(settings.rememberedTaskIds());
  }

  void nodeId(String id) {
    nodeId = Optional.of(id);
  }

  /** The grant of the session's latest token; empty clears it (a new session starts without). */
  void sessionGrant(Optional<SessionGrant> grant) {
    sessionGrant = grant;
  }

  void drain() {
    draining = true;
  }

  @Override
  public Optional<String> nodeId() {
    return nodeId;
  }

  @Override
  public boolean draining() {
    return draining;
  }

  @Override
  public int freeSlots() {
    return settings.maxTasks() - running;
  }

  @Override
  public boolean knowsTask(String taskId) {
    return tasks.containsKey(taskId) || recentIds.contains(taskId);
  }

  @Override
  public Optional<SessionGrant> sessionGrant() {
    return sessionGrant;
  }

  /** The node's disk budget for spilled output, shared by every task's buffer. */
  SpoolBudget spoolBudget() {
    return spoolBudget;
  }

  int running() {
    return running;
  }

  boolean isEmpty() {
    return tasks.isEmpty();
  }

  Optional<TaskRecord> get(String taskId) {
    return Optional.ofNullable(tasks.get(taskId));
  }

  List<TaskRecord> all() {
    return List.copyOf(order);
  }

  /** Takes an admitted task: reserves a slot and remembers its id (nonces: the replay cache). */
  TaskRecord add(TaskSpec spec, AgentLog log) {
    String id = spec.getTaskId();
    OutputBuffer buffer =
        new OutputBuffer(id, settings.outputMemoryPerTask(), settings.spillFile(id), spoolBudget);
    TaskRecord rec = new TaskRecord(spec, buffer, log);
    tasks.put(id, rec);
    order.add(rec);
    recentIds.add(id);
    running++;
    return rec;
  }

  void started(TaskRecord rec, long startedAtMs, long pid) {
    rec.started(
        NodeFrame.newBuilder()
            .setTaskStarted(
                TaskStarted.newBuilder()
                    .setTaskId(rec.id())
                    .setStartedAtUnixMs(startedAtMs)
                    .setPid(pid))
            .build());
  }

  void finished(TaskRecord rec, TaskResult result) {
    if (rec.isFinished()) {
      return;
    }
    long finalSeq = rec.buffer.producedSeq();
    TaskFinished.Builder f =
        TaskFinished.newBuilder()
            .setTaskId(rec.id())
            .setOutcome(result.outcome())
            .setFinalSeq(finalSeq)
            .setStartedAtUnixMs(result.startedAtUnixMs())
            .setFinishedAtUnixMs(result.finishedAtUnixMs())
            .setDetail(result.detail());
    result.exitCode().ifPresent(code -> f.setExitCode(code).setHasExitCode(true));
    rec.finished(NodeFrame.newBuilder().setTaskFinished(f).build(), finalSeq);
    running--;
  }

  /**
   * A task that held its slot while its owner was asked will not run: the slot is free again, and
   * {@code rejection} goes out through {@link #nextFrame}, after which the task is forgotten.
   */
  void refuseHeld(TaskRecord rec, NodeFrame rejection) {
    if (rec.isFinished()) {
      return;
    }
    rec.refused(rejection);
    running--;
  }

  /** The hub recorded the task's end: forget it (its id stays remembered against replays). */
  Optional<TaskRecord> forget(String taskId) {
    TaskRecord rec = tasks.remove(taskId);
    if (rec != null) {
      order.remove(rec);
      rec.buffer.close();
    }
    return Optional.ofNullable(rec);
  }

  List<TaskResumeState> resumeStates() {
    List<TaskResumeState> states = new ArrayList<>(order.size());
    for (TaskRecord rec : order) {
      states.add(rec.resumeState());
    }
    return states;
  }

  void rewindAll() {
    for (TaskRecord rec : order) {
      rec.rewind();
    }
  }

  /** The hub did not answer some resumed tasks with an OutputAck: resume from our own ack. */
  void releaseResumeHolds() {
    for (TaskRecord rec : order) {
      rec.resumeWithoutAck();
    }
  }

  /** The next frame to send, taking tasks in turn, or empty if nothing is sendable right now. */
  Optional<NodeFrame> nextFrame() {
    int n = order.size();
    for (int i = 0; i < n; i++) {
      int index = (nextTurn + i) % n;
      TaskRecord rec = order.get(index);
      Optional<NodeFrame> f = rec.nextFrame();
      if (f.isPresent()) {
        if (rec.refusalSent()) {
          // Its refusal was the last the hub will hear of it.
          tasks.remove(rec.id());
          order.remove(index);
          rec.buffer.close();
          nextTurn = order.isEmpty() ? 0 : index % order.size();
        } else {
          nextTurn = (index + 1) % n;
        }
        return f;
      }
    }
    return Optional.empty();
  }
}
