package io.cortexhub.hub.dispatch;

import io.cortexhub.hub.registry.NodeId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One state transition of a task, as journalled to the database. Fields left empty keep their
 * stored value, except {@code node}, which is always written (a requeued task has none). The store
 * never applies an update to a task that is already final.
 */
public record TaskUpdate(
    TaskId task,
    TaskState state,
    Optional<NodeId> node,
    Optional<Instant> dispatchedAt,
    Optional<Instant> startedAt,
    Optional<Instant> finishedAt,
    Optional<Integer> exitCode,
    Optional<String> detail,
    Optional<Long> finalSeq) {

  public TaskUpdate {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(dispatchedAt, "dispatchedAt");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(finishedAt, "finishedAt");
    Objects.requireNonNull(exitCode, "exitCode");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(finalSeq, "finalSeq");
  }

  public static TaskUpdate dispatched(TaskId task, NodeId node, Instant at) {
    return new TaskUpdate(task, TaskState.DISPATCHED, Optional.of(node), Optional.of(at),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** The node asked its owner to approve the task; {@code detail} says what was asked. */
  public static TaskUpdate awaitingConsent(TaskId task, NodeId node, String detail) {
    return new TaskUpdate(task, TaskState.AWAITING_CONSENT, Optional.of(node), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(detail),
        Optional.empty());
  }

  public static TaskUpdate running(TaskId task, NodeId node, Instant at) {
    return new TaskUpdate(task, TaskState.RUNNING, Optional.of(node), Optional.empty(),
        Optional.of(at), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  public static TaskUpdate requeued(TaskId task, String detail) {
    return new TaskUpdate(task, TaskState.QUEUED, Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(detail),
        Optional.empty());
  }

  public static TaskUpdate finished(TaskId task, TaskState state, Optional<NodeId> node,
      Instant at, Optional<Integer> exitCode, String detail, Optional<Long> finalSeq) {
    if (!state.isFinal()) {
      throw new IllegalArgumentException("not a final state: " + state);
    }
    return new TaskUpdate(task, state, node, Optional.empty(), Optional.empty(), Optional.of(at),
        exitCode, Optional.of(detail), finalSeq);
  }
}
