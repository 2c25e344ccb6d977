package io.cortexhub.hub.workspace;

import java.util.Objects;
import java.util.Set;

/**
 * The workspaces a caller may see and act in: from a user token's {@code workspaces} claim
 * ({@code "*"} = every workspace). Reads and actions outside the scope behave as if the object did
 * not exist, so a caller never learns what other workspaces hold.
 *
 * @param workspaces workspace names, or {@code "*"}
 */
public record WorkspaceScope(Set<String> workspaces) {
  private static final WorkspaceScope ALL = new WorkspaceScope(Set.of(Workspace.ALL));

  public WorkspaceScope {
    workspaces = Set.copyOf(Objects.requireNonNull(workspaces, "workspaces"));
  }

  /** Every workspace (internal callers, admins with {@code "*"}). */
  public static WorkspaceScope all() {
    return ALL;
  }

  /** Exactly these workspaces; {@code "*"} among them means all. */
  public static WorkspaceScope of(Set<String> workspaces) {
    return new WorkspaceScope(workspaces);
  }

  public boolean isAll() {
    return workspaces.contains(Workspace.ALL);
  }

  public boolean includes(String workspace) {
    return isAll() || workspaces.contains(workspace);
  }

  public boolean includes(WorkspaceId workspace) {
    return includes(workspace.value());
  }
}
