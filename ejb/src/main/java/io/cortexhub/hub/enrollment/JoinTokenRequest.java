package io.cortexhub.hub.enrollment;

import io.cortexhub.hub.workspace.WorkspaceId;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What an admin asks for when creating a join token. Validation of ranges happens in {@link
 * JoinTokens#create}, which throws {@link InvalidJoinTokenRequestException} naming the field.
 *
 * @param workspace the workspace enrolled nodes join
 * @param labels labels every node enrolled with the token gets (they override the node's own)
 * @param ttl how long the token can be used; null means 15 minutes
 * @param uses how many nodes may enroll with it; 0 means 1
 * @param createdBy the admin, for the record
 */
public record JoinTokenRequest(
    WorkspaceId workspace, Map<String, String> labels, Duration ttl, int uses, String createdBy) {
  /** The lifetime of a token when the request names none. */
  public static final Duration DEFAULT_TTL = Duration.ofMinutes(15);

  public JoinTokenRequest {
    Objects.requireNonNull(workspace, "workspace");
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    ttl = ttl == null ? DEFAULT_TTL : ttl;
    uses = uses == 0 ? 1 : uses;
    createdBy = createdBy == null || createdBy.isBlank() ? "unknown" : createdBy;
  }

  /** A one-time, 15-minute token without labels. */
  public static JoinTokenRequest of(WorkspaceId workspace, String createdBy) {
    return new JoinTokenRequest(workspace, Map.of(), null, 1, createdBy);
  }
}
