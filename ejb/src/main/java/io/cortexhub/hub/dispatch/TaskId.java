package io.cortexhub.hub.dispatch;

import java.util.Objects;
import java.util.UUID;

/** Identifier of a task, a random UUID chosen by the hub at submit time. */
public record TaskId(String value) {
  public TaskId {
    Objects.requireNonNull(value, "value");
    if (value.isBlank()) {
      throw new IllegalArgumentException("task id must not be blank");
    }
  }

  public static TaskId random() {
    return new TaskId(UUID.randomUUID().toString());
  }

  @Override
  public String toString() {
    return value;
  }
}
