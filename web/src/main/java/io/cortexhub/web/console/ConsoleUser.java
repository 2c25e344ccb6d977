package io.cortexhub.web.console;

import io.cortexhub.hub.auth.Role;
import io.cortexhub.hub.auth.User;
import io.cortexhub.hub.auth.Workspaces;
import java.io.Serializable;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The user signed in to the console, kept in the HTTP session under {@link #SESSION_KEY}: name,
 * roles and workspaces as they were at sign-in. Serializable, because it lives in the session.
 *
 * @param username login name
 * @param roles role names
 * @param workspaces workspace names or {@code "*"}
 */
public record ConsoleUser(String username, Set<String> roles, Set<String> workspaces)
    implements Serializable {

  /** Session attribute holding the signed-in user. */
  public static final String SESSION_KEY = "io.cortexhub.console.user";

  public ConsoleUser {
    Objects.requireNonNull(username, "username");
    // TreeSets: serializable and sorted for display (Set.copyOf's sets are serializable too,
    // but their order is not stable).
    roles = new TreeSet<>(roles);
    workspaces = new TreeSet<>(workspaces);
  }

  public static ConsoleUser of(User user) {
    return new ConsoleUser(user.username(),
        user.roles().stream().map(Role::id).collect(java.util.stream.Collectors.toSet()),
        user.workspaces());
  }

  /** Whether the user sees {@code workspace}. */
  public boolean sees(String workspace) {
    return workspaces.contains(Workspaces.ALL) || workspaces.contains(workspace);
  }

  // Jakarta EL 5 reads bean getters only (see ConsoleHome).

  public String getUsername() {
    return username;
  }

  public String getRoles() {
    return String.join(", ", roles);
  }

  public String getWorkspaces() {
    return String.join(", ", workspaces);
  }
}
