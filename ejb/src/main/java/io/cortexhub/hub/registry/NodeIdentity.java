package io.cortexhub.hub.registry;

import io.cortexhub.hub.workspace.WorkspaceId;
import java.util.Objects;

/**
 * Who a connected node is, as the hub established it (from the node's client certificate, never
 * from what the node says in Hello).
 *
 * @param id the node id the hub chose at enrollment
 * @param workspace the workspace the node belongs to
 */
public record NodeIdentity(NodeId id, WorkspaceId workspace) {
  public NodeIdentity {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(workspace, "workspace");
  }
}
