package io.cortexhub.hub.registry;

import io.cortexhub.hub.connector.inbound.NodeHello;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable node history. Writes happen only on connect and on state changes, never per heartbeat,
 * so 10,000 nodes cost the database nothing in steady state. Implementations run each call in a
 * transaction of their own (or the caller's). Thread-safe.
 */
public interface NodeStore {

  /**
   * Records a Hello: creates the node on first sight of its name (with a new id), otherwise
   * replaces its manifest, labels and capabilities. The node is stored as CONNECTING.
   */
  NodeView register(NodeHello hello, Instant now);

  /** Stores a state change; {@code lastHeartbeat} is stored when present. */
  void updateState(NodeId node, NodeState state, Instant at, Optional<Instant> lastHeartbeat);

  List<NodeView> all();

  Optional<NodeView> find(NodeId node);
}
