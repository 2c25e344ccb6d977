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
   * Records a Hello: creates the node on first sight of its id (from {@link NodeHello#identity()}),
   * otherwise replaces its name, workspace, manifest, labels and capabilities. The node is stored
   * as CONNECTING.
   */
  NodeView register(NodeHello hello, Instant now);

  /** Stores a state change; {@code lastHeartbeat} is stored when present. */
  void updateState(NodeId node, NodeState state, Instant at, Optional<Instant> lastHeartbeat);

  /**
   * Stores several state changes, in order, as one unit where the implementation can (one
   * transaction); the default applies them one by one.
   */
  default void updateStates(List<StateChange> changes) {
    for (StateChange c : changes) {
      updateState(c.node(), c.state(), c.at(), c.lastHeartbeat());
    }
  }

  /** One state change for {@link #updateStates}. */
  record StateChange(NodeId node, NodeState state, Instant at, Optional<Instant> lastHeartbeat) {
    public StateChange {
      java.util.Objects.requireNonNull(node, "node");
      java.util.Objects.requireNonNull(state, "state");
      java.util.Objects.requireNonNull(at, "at");
      java.util.Objects.requireNonNull(lastHeartbeat, "lastHeartbeat");
    }
  }

  List<NodeView> all();

  Optional<NodeView> find(NodeId node);
}
