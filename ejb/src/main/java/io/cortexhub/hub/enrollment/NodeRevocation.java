package io.cortexhub.hub.enrollment;

import io.cortexhub.hub.registry.NodeId;

/**
 * Revoking a node: its live stream is closed at once (PERMISSION_DENIED "node revoked") and every
 * later handshake or RPC with its certificate is refused. Permanent: a revoked machine must enroll
 * again with a new token and gets a new node id. Implementations are thread-safe.
 */
public interface NodeRevocation {

  /**
   * Revokes {@code node}. Revoking a revoked node again changes nothing.
   *
   * @param by the admin, for the record
   * @param reason why, for the record and the logs
   * @throws io.cortexhub.hub.registry.UnknownNodeException when the hub knows no such node
   */
  void revoke(NodeId node, String by, String reason);
}
