package io.cortexhub.hub.connector.api;

import io.cortexhub.hub.registry.NodeId;
import java.util.Optional;

/**
 * Hands out the connection to a node's current session, in the manner of a CCI {@code
 * ConnectionFactory}. Thread-safe.
 */
public interface NodeConnectionFactory {

  /** The live connection to the node, or empty when the node has no open session now. */
  Optional<NodeConnection> connectionTo(NodeId node);
}
