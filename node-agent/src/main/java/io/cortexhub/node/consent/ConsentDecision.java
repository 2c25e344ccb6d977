package io.cortexhub.node.consent;

import java.time.Instant;
import java.util.Objects;

/**
 * The answer to one {@link ConsentRequest}.
 *
 * @param requestId the broker's id of the request
 * @param taskId the task concerned
 * @param verdict approved, denied, or timed out (which counts as denied)
 * @param decidedBy who answered: {@code socket:<user>} for the owner over the approvals socket,
 *     {@code timeout}, or what the caller of {@link ConsentBroker#approve(String, String)} named
 * @param decidedAt when
 */
public record ConsentDecision(String requestId, String taskId, Verdict verdict, String decidedBy, Instant decidedAt) {
  /** The three ways a request ends. */
  public enum Verdict {
    APPROVED,
    DENIED,
    TIMED_OUT
  }

  public ConsentDecision {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(decidedBy, "decidedBy");
    Objects.requireNonNull(decidedAt, "decidedAt");
  }

  /** Only an explicit yes lets the task run. */
  public boolean approved() {
    return verdict == Verdict.APPROVED;
  }
}
