package io.cortexhub.hub.testing;

import io.cortexhub.hub.connector.inbound.NodeHello;
import io.cortexhub.hub.registry.NodeId;
import io.cortexhub.hub.registry.NodeState;
import io.cortexhub.hub.registry.NodeStore;
import io.cortexhub.hub.registry.NodeView;
import io.cortexhub.hub.registry.UnknownNodeException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link NodeStore} in a map: for logic tests that are not about persistence. Thread-safe. */
public final class InMemoryNodeStore implements NodeStore {
  private final Map<NodeId, NodeView> byId = new ConcurrentHashMap<>();

  @Override
  public synchronized NodeView register(NodeHello h, Instant now) {
    NodeId id = h.identity().id();
    NodeView v = new NodeView(id, h.name(), h.identity().workspace().value(), NodeState.CONNECTING, h.labels(), h.capabilities(),
        h.manifest(), h.maxTasks(), 0, now, Optional.empty());
    byId.put(id, v);
    return v;
  }

  @Override
  public synchronized void updateState(NodeId node, NodeState state, Instant at,
      Optional<Instant> hb) {
    NodeView v = find(node).orElseThrow(() -> new UnknownNodeException(node));
    byId.put(v.id(), new NodeView(v.id(), v.name(), v.workspace(), state, v.labels(), v.capabilities(),
        v.manifest(), v.maxTasks(), 0, v.connectedAt(), hb.or(v::lastHeartbeatAt)));
  }

  @Override
  public List<NodeView> all() {
    return List.copyOf(byId.values());
  }

  @Override
  public Optional<NodeView> find(NodeId node) {
    return Optional.ofNullable(byId.get(node));
  }
}
