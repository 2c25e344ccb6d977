package io.cortexhub.hub.session;

import io.cortexhub.hub.registry.NodeIdentity;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a verified session token says.
 *
 * @param identity node id ({@code sub}) and workspace
 * @param capabilities granted capabilities
 * @param expiresAt {@code exp}
 * @param tokenId {@code jti}
 */
public record SessionClaims(NodeIdentity identity, List<String> capabilities, Instant expiresAt,
    String tokenId) {
  public SessionClaims {
    Objects.requireNonNull(identity, "identity");
    capabilities = List.copyOf(capabilities);
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(tokenId, "tokenId");
  }
}
