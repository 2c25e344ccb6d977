package io.cortexhub.hub.connector.inbound;

import java.util.Objects;

/** A node refused a task; nothing ran. */
public record TaskRejection(String taskId, Reason reason, String detail) {
  public TaskRejection {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(reason, "reason");
    detail = detail == null ? "" : detail;
  }

  /** Mirrors the protocol's RejectReason. */
  public enum Reason {
    UNSPECIFIED,
    CAPACITY,
    UNSUPPORTED,
    INVALID,
    WRONG_NODE,
    BAD_SIGNATURE,
    EXPIRED,
    REPLAYED,
    POLICY,
    CONSENT_DENIED,
    DRAINING;

    /** Whether the task may simply be sent again, elsewhere or later. */
    public boolean isRetryable() {
      return this == CAPACITY || this == DRAINING;
    }
  }
}
