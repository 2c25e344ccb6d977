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
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** {@link NodeStore} in a map: for logic tests that are not about persistence. Thread-safe. */
public final class InMemoryNodeStore implements NodeStore {
  private final Map<String, NodeView> byName = new ConcurrentHashMap<>();

  @Override
  public synchronized NodeView register(NodeHello h, Instant now) {
    NodeId id = Optional.ofNullable(byName.get(h.name())).map(NodeView::id)
        .orElseGet(() -> new NodeId(UUID.randomUUID().toString()));
    NodeView v = new NodeView(id, h.name(), NodeState.CONNECTING, h.labels(), h.capabilities(),
        h.manifest(), h.maxTasks(), 0, now, Optional.empty());
    byName.put(h.name(), v);
    return v;
  }

  @Override
  public synchronized void updateState(NodeId node, NodeState state, Instant at,
      Optional<Instant> hb) {
    NodeView v = find(node).orElseThrow(() -> new UnknownNodeException(node));
    byName.put(v.name(), new NodeView(v.id(), v.name(), state, v.labels(), v.capabilities(),
        v.manifest(), v.maxTasks(), 0, v.connectedAt(), hb.or(v::lastHeartbeatAt)));
  }

  @Override
  public List<NodeView> all() {
    return List.copyOf(byName.values());
  }

  @Override
  public Optional<NodeView> find(NodeId node) {
    return byName.values().stream().filter(v -> v.id().equals(node)).findFirst();
  }
}
