package io.cortexhub.hub.enrollment;

import io.cortexhub.hub.workspace.WorkspaceId;
import java.time.Instant;
import java.util.Objects;

/**
 * A join token just created. {@code token} is the secret the node presents; the hub keeps only its
 * hash, so this is the one and only time anybody sees it.
 *
 * @param tokenId public id (for listing and revoking)
 * @param token the secret, {@code <tokenId>.<random>}
 * @param expiresAt after this instant the token is refused
 * @param workspace the workspace nodes enrolled with it join
 */
public record IssuedJoinToken(String tokenId, String token, Instant expiresAt,
    WorkspaceId workspace) {
  public IssuedJoinToken {
    Objects.requireNonNull(tokenId, "tokenId");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(workspace, "workspace");
  }

  /** Never prints the secret. */
  @Override
  public String toString() {
    return "IssuedJoinToken[" + tokenId + ", workspace " + workspace + ", expires " + expiresAt
        + "]";
  }
}
