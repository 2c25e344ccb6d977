package io.cortexhub.hub.signing;

import io.cortexhub.hub.connector.api.TaskEnvelope;
import io.cortexhub.hub.dispatch.TaskId;
import java.util.List;

/**
 * Signs serialized tasks. The signature covers exactly the bytes that travel in {@code
 * TaskAssignment.task}; nobody re-serializes. Implementations are thread-safe.
 */
public interface TaskSigner {

  /** The envelope for {@code spec}: the bytes, their signature and the signing key's id. */
  TaskEnvelope sign(TaskId task, byte[] spec);

  /** The public keys nodes should accept, the active one first. */
  List<TaskSigningKey> keys();
}
