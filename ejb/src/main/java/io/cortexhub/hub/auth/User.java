package io.cortexhub.hub.auth;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A local user as the REST API shows it (never with its password hash).
 *
 * @param username unique login name
 * @param roles what the user may do
 * @param workspaces workspaces the user sees; {@code "*"} means all
 * @param createdAt when the user was created
 * @param createdBy who created the user ({@code "bootstrap"} for the first admin)
 */
public record User(
    String username, Set<Role> roles, Set<String> workspaces, Instant createdAt, String createdBy) {

  public User {
    Objects.requireNonNull(username, "username");
    roles = Set.copyOf(roles);
    workspaces = Set.copyOf(workspaces);
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(createdBy, "createdBy");
  }
}
