package io.cortexhub.hub.enrollment;

import io.cortexhub.hub.registry.NodeIdentity;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A node identity the hub created at enrollment.
 *
 * @param identity node id and workspace (also in its certificates)
 * @param displayName the name the node asked for at enrollment
 * @param labels labels from the join token; they override the node's own labels
 * @param joinTokenId the token it enrolled with
 * @param enrolledAt when
 */
public record EnrolledNode(NodeIdentity identity, String displayName, Map<String, String> labels,
    Optional<String> joinTokenId, Instant enrolledAt) {
  public EnrolledNode {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(displayName, "displayName");
    labels = Map.copyOf(labels);
    Objects.requireNonNull(joinTokenId, "joinTokenId");
    Objects.requireNonNull(enrolledAt, "enrolledAt");
  }
}
