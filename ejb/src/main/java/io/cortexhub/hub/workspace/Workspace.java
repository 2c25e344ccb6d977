package io.cortexhub.hub.workspace;

import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A workspace and the capabilities it grants its nodes. A node is granted what it offers and its
 * workspace grants; {@code "*"} grants every capability.
 *
 * @param id the workspace's name
 * @param grantedCapabilities capability names, or {@code "*"} for all
 */
public record Workspace(WorkspaceId id, Set<String> grantedCapabilities) {
  /** Grants every capability. */
  public static final String ALL = "*";

  private static final Pattern CAPABILITY = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  public Workspace {
    Objects.requireNonNull(id, "id");
    grantedCapabilities = Set.copyOf(grantedCapabilities);
    for (String c : grantedCapabilities) {
      if (!ALL.equals(c) && !CAPABILITY.matcher(c).matches()) {
        throw new IllegalArgumentException("grantedCapabilities: bad capability name '" + c + "'");
      }
    }
  }

  /** Whether nodes of this workspace may be given tasks that need {@code capability}. */
  public boolean grants(String capability) {
    return grantedCapabilities.contains(ALL) || grantedCapabilities.contains(capability);
  }

  /** The subset of {@code offered} this workspace grants, in the order given. */
  public java.util.List<String> granted(java.util.Collection<String> offered) {
    return offered.stream().filter(this::grants).distinct().toList();
  }
}
