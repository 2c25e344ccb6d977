package io.cortexhub.hub.enrollment;

import io.cortexhub.hub.workspace.WorkspaceId;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A join token as listed (never its secret).
 *
 * @param tokenId public id
 * @param workspace the workspace nodes enrolled with it join
 * @param labels labels given to enrolled nodes
 * @param createdAt when it was created
 * @param expiresAt when it stops working
 * @param usesLeft enrollments still allowed
 * @param revoked whether an admin revoked it
 * @param createdBy who created it
 */
public record JoinTokenView(String tokenId, WorkspaceId workspace, Map<String, String> labels,
    Instant createdAt, Instant expiresAt, int usesLeft, boolean revoked, String createdBy) {
  public JoinTokenView {
    Objects.requireNonNull(tokenId, "tokenId");
    Objects.requireNonNull(workspace, "workspace");
    labels = Map.copyOf(labels);
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(createdBy, "createdBy");
  }

  /** Whether a node could still enroll with it at {@code now}. */
  public boolean usableAt(Instant now) {
    return !revoked && usesLeft > 0 && now.isBefore(expiresAt);
  }
}
