package io.cortexhub.hub.dispatch;

import java.util.Objects;

/**
 * The answer to a submit: the task, and whether this call created it ({@code false} when an earlier
 * submit with the same idempotency key already had, so the REST layer answers 200 instead of 201).
 */
public record Submission(TaskView task, boolean created) {
  public Submission {
    Objects.requireNonNull(task, "task");
  }
}
