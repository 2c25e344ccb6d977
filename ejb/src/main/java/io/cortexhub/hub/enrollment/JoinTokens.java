package io.cortexhub.hub.enrollment;

import io.cortexhub.hub.workspace.WorkspaceScope;
import java.util.List;

/**
 * Join tokens for node enrollment, as the admin API sees them. Implementations are thread-safe
 * and store only a hash of each secret.
 */
public interface JoinTokens {

  /**
   * Creates a token.
   *
   * @throws InvalidJoinTokenRequestException when ttl, uses or a label is out of range
   * @throws io.cortexhub.hub.workspace.UnknownWorkspaceException when the workspace does not exist
   */
  IssuedJoinToken create(JoinTokenRequest request);

  /** The tokens of the workspaces in {@code scope}, newest first, including used and expired. */
  List<JoinTokenView> list(WorkspaceScope scope);

  /**
   * Revokes a token: no node can enroll with it from now on. Idempotent.
   *
   * @throws UnknownJoinTokenException when there is no such token
   */
  void revoke(String tokenId);
}
