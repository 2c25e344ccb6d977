package io.cortexhub.node.task;

import java.util.Optional;

/**
 * What {@link TaskAdmission} needs to know about the node at the moment an assignment arrives.
 *
 * <p>Implemented by the node's task ledger; read on the node's serial executor only.
 */
public interface AdmissionState {
  /** The hub's id for this node, once a Welcome has told us. */
  Optional<String> nodeId();

  boolean draining();

  /** {@code --max-tasks} minus the tasks accepted and not yet finished. */
  int freeSlots();

  /** Whether this task id is held now or was seen recently. */
  boolean knowsTask(String taskId);

  /** The grant of the session's latest token; empty until the hub sent one on this session. */
  Optional<SessionGrant> sessionGrant();
}
