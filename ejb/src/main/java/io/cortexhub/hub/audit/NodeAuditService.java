package io.cortexhub.hub.audit;

import io.cortexhub.hub.dispatch.TaskId;
import io.cortexhub.hub.registry.NodeId;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** What the REST API and the console may ask about node audit logs. Thread-safe. */
public interface NodeAuditService {

  /** The signed checkpoints the hub holds for the node, by tree size ascending. */
  List<StoredCheckpoint> checkpoints(NodeId node);

  /**
   * The task's audit records (JSON lines) from the node that ran it; fails with {@link
   * AuditUnavailableException} when the node is not connected or does not answer in time.
   */
  CompletableFuture<List<String>> taskRecords(TaskId task);
}
