package io.cortexhub.web.testing;

import io.cortexhub.hub.registry.NodeDirectory;
import io.cortexhub.hub.registry.NodeId;
import io.cortexhub.hub.registry.NodeView;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** In-memory {@link NodeDirectory} listing nodes in insertion order. Not thread-safe. */
public final class FakeNodeDirectory implements NodeDirectory {

  private final List<NodeView> nodes = new ArrayList<>();

  public FakeNodeDirectory add(NodeView node) {
    nodes.add(node);
    return this;
  }

  @Override
  public List<NodeView> list() {
    return List.copyOf(nodes);
  }

  @Override
  public Optional<NodeView> find(NodeId id) {
    return nodes.stream().filter(n -> n.id().equals(id)).findFirst();
  }
}
