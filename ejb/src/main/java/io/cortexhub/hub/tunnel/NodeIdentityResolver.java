package io.cortexhub.hub.tunnel;

import io.cortexhub.hub.registry.NodeId;
import io.cortexhub.hub.registry.NodeIdentity;
import io.cortexhub.hub.workspace.WorkspaceId;

/**
 * Establishes who the node on a stream is, when it says Hello. Called on the stream's gRPC
 * callback thread, so an implementation can read what an interceptor put into the current gRPC
 * {@code Context} (the mTLS peer identity). Implementations are thread-safe.
 */
@FunctionalInterface
public interface NodeIdentityResolver {

  /**
   * @param displayName the name from Hello, for logs only: never part of the identity in production
   * @throws io.cortexhub.hub.connector.inbound.NodeRefusedException when the stream carries no
   *     acceptable identity
   */
  NodeIdentity identify(String displayName);

  /**
   * For in-process tests without TLS: the node is who its Hello says, {@code id-<name>} in the
   * default workspace. Never use it on a network listener.
   */
  static NodeIdentityResolver trustingHelloNames() {
    return name -> new NodeIdentity(new NodeId("id-" + name), WorkspaceId.DEFAULT);
  }
}
