package io.cortexhub.hub.connector.inbound;

import java.util.Objects;
import java.util.Optional;

/** A task is over on its node. */
public record TaskFinishReport(
    String taskId,
    Outcome outcome,
    Optional<Integer> exitCode,
    long finalSeq,
    long startedAtUnixMs,
    long finishedAtUnixMs,
    String detail) {
  public TaskFinishReport {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(exitCode, "exitCode");
    detail = detail == null ? "" : detail;
  }

  /** Mirrors the protocol's TaskOutcome. */
  public enum Outcome {
    SUCCEEDED,
    FAILED,
    CANCELLED,
    TIMED_OUT,
    QUOTA_EXCEEDED
  }
}
