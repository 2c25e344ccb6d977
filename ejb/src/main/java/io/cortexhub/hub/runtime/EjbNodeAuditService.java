package io.cortexhub.hub.runtime;

import io.cortexhub.hub.audit.NodeAuditService;
import io.cortexhub.hub.audit.StoredCheckpoint;
import io.cortexhub.hub.dispatch.TaskId;
import io.cortexhub.hub.registry.NodeId;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** {@link NodeAuditService} EJB over the hub core. */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class EjbNodeAuditService implements NodeAuditService {
  @EJB
  private HubRuntime runtime;

  @Override
  public List<StoredCheckpoint> checkpoints(NodeId node) {
    return runtime.core().audit().checkpoints(node);
  }

  @Override
  public CompletableFuture<List<String>> taskRecords(TaskId task) {
    return runtime.core().audit().taskRecords(task);
  }
}
