package io.cortexhub.hub.enrollment;

import io.cortexhub.hub.workspace.WorkspaceId;
import java.util.Map;
import java.util.Objects;

/**
 * What a redeemed join token entitles the enrolling node to.
 *
 * @param tokenId the token used (recorded with the node identity)
 * @param workspace the workspace the node joins
 * @param labels labels the admin assigned
 */
public record JoinTokenGrant(String tokenId, WorkspaceId workspace, Map<String, String> labels) {
  public JoinTokenGrant {
    Objects.requireNonNull(tokenId, "tokenId");
    Objects.requireNonNull(workspace, "workspace");
    labels = Map.copyOf(labels);
  }
}
