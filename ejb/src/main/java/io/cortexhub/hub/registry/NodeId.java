package io.cortexhub.hub.registry;

import java.util.Objects;

/** The hub's identifier of a node, stable across reconnects. */
public record NodeId(String value) {
  public NodeId {
    Objects.requireNonNull(value, "value");
    if (value.isBlank()) {
      throw new IllegalArgumentException("node id must not be blank");
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
