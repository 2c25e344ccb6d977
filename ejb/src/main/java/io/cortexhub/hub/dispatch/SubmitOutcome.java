package io.cortexhub.hub.dispatch;

import java.util.Objects;

/**
 * The answer to one request of a batch submit: accepted (a {@link Submission}) or refused (the
 * exception a single submit would have thrown). Why: one bad item must not fail its neighbours.
 * Immutable.
 */
public sealed interface SubmitOutcome {

  /** Stored (or found by its idempotency key). */
  record Accepted(Submission submission) implements SubmitOutcome {
    public Accepted {
      Objects.requireNonNull(submission, "submission");
    }
  }

  /** Refused: invalid, targeted at an unknown node, or not stored. */
  record Refused(RuntimeException reason) implements SubmitOutcome {
    public Refused {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
