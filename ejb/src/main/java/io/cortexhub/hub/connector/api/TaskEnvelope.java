package io.cortexhub.hub.connector.api;

import io.cortexhub.hub.dispatch.TaskId;
import java.util.Objects;

/**
 * A task as it travels to a node: the serialized TaskSpec bytes, produced once, and a signature
 * over exactly those bytes (empty until task signing exists). Immutable; the arrays are not copied
 * on read, so callers must not modify them.
 */
public record TaskEnvelope(TaskId task, byte[] spec, byte[] signature, String keyId) {
  public TaskEnvelope {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(spec, "spec");
    signature = signature == null ? new byte[0] : signature;
    keyId = keyId == null ? "" : keyId;
  }

  public static TaskEnvelope unsigned(TaskId task, byte[] spec) {
    return new TaskEnvelope(task, spec, new byte[0], "");
  }
}
