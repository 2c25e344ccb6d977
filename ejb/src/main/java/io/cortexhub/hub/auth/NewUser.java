package io.cortexhub.hub.auth;

import java.util.Objects;
import java.util.Set;

/**
 * A request to create a local user. Validated by {@link UserDirectory#create}: the name is 1 to 64
 * of {@code A-Z a-z 0-9 . _ @ -} starting with a letter or digit, the password has at least
 * {@link #MIN_PASSWORD_LENGTH} characters, at least one role, workspace names as in
 * {@link Workspaces#validName(String)} or {@code "*"}.
 *
 * <p>{@link #toString()} hides the password, so a request can be logged.
 */
public record NewUser(String username, String password, Set<Role> roles, Set<String> workspaces) {

  /** Shortest password accepted for a local user. */
  public static final int MIN_PASSWORD_LENGTH = 12;

  public NewUser {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    roles = Set.copyOf(roles);
    workspaces = Set.copyOf(workspaces);
  }

  @Override
  public String toString() {
    return "NewUser[username=" + username + ", roles=" + roles + ", workspaces=" + workspaces + "]";
  }
}
