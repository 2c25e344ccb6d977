package io.cortexhub.hub.registry;

import io.cortexhub.hub.workspace.WorkspaceScope;
import java.util.List;
import java.util.Optional;

/**
 * Read access to the registry for the REST API and the console.
 *
 * <p>Implementations are container-managed and thread-safe.
 */
public interface NodeDirectory {

  /** All known nodes, ONLINE first, then by name. */
  List<NodeView> list();

  Optional<NodeView> find(NodeId id);

  /** The nodes of the workspaces in {@code scope}, in the order of {@link #list()}. */
  default List<NodeView> list(WorkspaceScope scope) {
    return list().stream().filter(n -> scope.includes(n.workspace())).toList();
  }

  /** The node if it belongs to a workspace in {@code scope}; otherwise empty, as if unknown. */
  default Optional<NodeView> find(NodeId id, WorkspaceScope scope) {
    return find(id).filter(n -> scope.includes(n.workspace()));
  }
}
