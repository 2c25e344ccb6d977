package io.cortexhub.hub.runtime;

import io.cortexhub.hub.registry.NodeDirectory;
import io.cortexhub.hub.registry.NodeId;
import io.cortexhub.hub.registry.NodeView;
import io.cortexhub.hub.workspace.WorkspaceScope;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.util.List;
import java.util.Optional;

/** {@link NodeDirectory} EJB: reads the registry's in-memory table (no database round trip). */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class EjbNodeDirectory implements NodeDirectory {
  @EJB
  private HubRuntime runtime;

  @Override
  public List<NodeView> list() {
    return runtime.core().directory().list();
  }

  @Override
  public Optional<NodeView> find(NodeId id) {
    return runtime.core().directory().find(id);
  }

  @Override
  public List<NodeView> list(WorkspaceScope scope) {
    return runtime.core().directory().list(scope);
  }

  @Override
  public Optional<NodeView> find(NodeId id, WorkspaceScope scope) {
    return runtime.core().directory().find(id, scope);
  }
}
