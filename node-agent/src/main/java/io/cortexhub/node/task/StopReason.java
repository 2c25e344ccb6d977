package io.cortexhub.node.task;

import io.cortexhub.proto.node.v1.TaskOutcome;

/** Why the agent stops a task before it ends on its own. */
public enum StopReason {
  /** The hub sent Cancel. */
  CANCELLED(TaskOutcome.TASK_OUTCOME_CANCELLED),
  /** The task ran past its {@code timeout_ms}. */
  TIMED_OUT(TaskOutcome.TASK_OUTCOME_TIMED_OUT),
  /** The agent itself is shutting down (Ctrl-C, SIGTERM). */
  AGENT_SHUTDOWN(TaskOutcome.TASK_OUTCOME_CANCELLED);

  private final TaskOutcome outcome;

  StopReason(TaskOutcome outcome) {
    this.outcome = outcome;
  }

  public TaskOutcome outcome() {
    return outcome;
  }
}
