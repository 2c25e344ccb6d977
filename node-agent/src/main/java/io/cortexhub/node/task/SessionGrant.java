package io.cortexhub.node.task;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * What the hub's current session token allows this node to run: the capabilities it granted (what
 * the node offered ∩ what its workspace allows) and until when.
 *
 * <p>The node treats the token itself as opaque; these two fields come from the {@code SessionToken}
 * frame that carried it. Immutable.
 */
public record SessionGrant(Set<String> capabilities, Instant expiresAt) {
  public SessionGrant {
    capabilities = Set.copyOf(capabilities);
    Objects.requireNonNull(expiresAt, "expiresAt");
  }
}
