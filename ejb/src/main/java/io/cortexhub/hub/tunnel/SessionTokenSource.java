package io.cortexhub.hub.tunnel;

import io.cortexhub.hub.connector.inbound.NodeHello;
import io.cortexhub.hub.session.SessionGrant;
import java.util.Optional;

/**
 * Mints a node's session token when its session opens and whenever the tunnel refreshes it.
 * Implementations are thread-safe.
 */
@FunctionalInterface
public interface SessionTokenSource {

  /** A token for the node that said {@code hello}; empty when the hub issues none (tests). */
  Optional<SessionGrant> grant(NodeHello hello);

  /** No session tokens: for in-process tests of the stream logic. */
  static SessionTokenSource none() {
    return hello -> Optional.empty();
  }
}
