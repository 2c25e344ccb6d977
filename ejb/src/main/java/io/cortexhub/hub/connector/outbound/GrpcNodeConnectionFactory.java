package io.cortexhub.hub.connector.outbound;

import io.cortexhub.hub.connector.api.NodeConnection;
import io.cortexhub.hub.connector.api.NodeConnectionFactory;
import io.cortexhub.hub.registry.NodeId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The current connection of every connected node. Registering a second connection for a node
 * closes the first with ABORTED ("replaced"), so exactly one stream per node carries traffic.
 * Thread-safe.
 */
public final class GrpcNodeConnectionFactory implements NodeConnectionFactory {
  private final Map<NodeId, NodeConnection> current = new ConcurrentHashMap<>();

  @Override
  public Optional<NodeConnection> connectionTo(NodeId node) {
    return Optional.ofNullable(current.get(node)).filter(NodeConnection::isOpen);
  }

  /** Makes {@code connection} the node's current one, ending any earlier one. */
  public void register(NodeConnection connection) {
    NodeConnection previous = current.put(connection.node(), connection);
    if (previous != null && previous != connection) {
      previous.close(NodeConnection.CloseReason.REPLACED,
          "node " + connection.node() + " connected again (session " + connection.sessionId()
              + "); this stream was replaced");
    }
  }

  /** Forgets {@code connection} if it is still the node's current one. */
  public void unregister(NodeConnection connection) {
    current.remove(connection.node(), connection);
  }

  public int size() {
    return current.size();
  }

  /** Ends every session (hub shutdown). */
  public void closeAll(NodeConnection.CloseReason reason, String detail) {
    for (NodeConnection c : List.copyOf(current.values())) {
      c.close(reason, detail);
    }
    current.clear();
  }
}
