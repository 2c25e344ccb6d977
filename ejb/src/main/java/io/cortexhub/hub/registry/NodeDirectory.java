package io.cortexhub.hub.registry;

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
}
