package io.cortexhub.hub.registry;

import java.time.Instant;
import java.util.Objects;

/** A node changed state; the registry persists these and tells dispatch. */
public record NodeTransition(NodeId node, NodeState from, NodeState to, Instant at, String reason) {
  public NodeTransition {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(reason, "reason");
  }
}
