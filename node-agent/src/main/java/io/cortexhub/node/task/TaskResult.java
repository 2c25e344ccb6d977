package io.cortexhub.node.task;

import io.cortexhub.proto.node.v1.TaskOutcome;
import java.util.Objects;
import java.util.OptionalInt;

/** How a task ended on this node; becomes the {@code TaskFinished} frame. */
public record TaskResult(
    TaskOutcome outcome,
    OptionalInt exitCode,
    long startedAtUnixMs,
    long finishedAtUnixMs,
    String detail) {
  public TaskResult {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(exitCode, "exitCode");
    detail = detail == null ? "" : detail;
  }

  /** The task never got going (bad working directory, executable not found, ...). */
  public static TaskResult couldNotStart(long atUnixMs, String detail) {
    return new TaskResult(TaskOutcome.TASK_OUTCOME_FAILED, OptionalInt.empty(), atUnixMs, atUnixMs, detail);
  }
}
