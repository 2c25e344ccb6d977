package io.cortexhub.hub.workspace;

import java.util.List;
import java.util.Optional;

/**
 * The workspaces of the hub and what they grant. Implementations are thread-safe; the hub's own
 * keeps every workspace in memory, so {@link #find} is cheap enough for the dispatch path.
 */
public interface WorkspaceDirectory {

  /** Every workspace, by name. */
  List<Workspace> list();

  Optional<Workspace> find(WorkspaceId id);

  /** Creates the workspace or replaces its grants; returns it as stored. */
  Workspace save(Workspace workspace);

  /** Whether {@code workspace} exists and grants {@code capability}. */
  default boolean grants(WorkspaceId workspace, String capability) {
    return find(workspace).map(w -> w.grants(capability)).orElse(false);
  }
}
