package io.cortexhub.hub.auth;

import io.cortexhub.hub.workspace.WorkspaceId;
import java.util.Set;

/**
 * The {@code workspaces} claim's vocabulary: workspace names and the wildcard {@link #ALL}.
 *
 * <p>Names follow the workspace model's rule ({@code WorkspaceId}: 1 to 64 lower-case letters,
 * digits, dots, underscores and dashes, starting with a letter or digit), so a claim can never name
 * something the hub could not store.
 */
public final class Workspaces {

  /** Claim value meaning every workspace, present and future. */
  public static final String ALL = "*";

  private Workspaces() {}

  /** Whether {@code name} is a valid workspace name (not the wildcard). */
  public static boolean validName(String name) {
    return WorkspaceId.isValid(name);
  }

  /** Whether every entry is a valid name or the wildcard. */
  public static boolean validClaim(Set<String> workspaces) {
    return workspaces.stream().allMatch(w -> ALL.equals(w) || validName(w));
  }
}
