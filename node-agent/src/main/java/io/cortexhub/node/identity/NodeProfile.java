package io.cortexhub.node.identity;

import io.cortexhub.node.tunnel.HubAddress;
import java.util.Objects;

/**
 * Where an enrolled node's hub is and what the node calls itself, remembered at enrollment so that
 * {@code cortex-node run --state-dir D} needs nothing else. Neither is a secret nor an identity:
 * the identity is in the certificate. Immutable.
 *
 * @param hub the hub's tunnel address the node enrolled with
 * @param nodeName the display name sent in Hello
 */
public record NodeProfile(HubAddress hub, String nodeName) {
  public NodeProfile {
    Objects.requireNonNull(hub, "hub");
    Objects.requireNonNull(nodeName, "nodeName");
  }
}
