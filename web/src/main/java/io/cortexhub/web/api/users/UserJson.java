package io.cortexhub.web.api.users;

import io.cortexhub.hub.auth.Role;
import io.cortexhub.hub.auth.User;
import java.util.List;

/**
 * A user as the API shows it: never a password or hash.
 *
 * @param username login name
 * @param roles role names, sorted
 * @param workspaces workspace names or {@code "*"}, sorted
 * @param createdAt ISO-8601 instant
 * @param createdBy who created the user
 */
public record UserJson(
    String username, List<String> roles, List<String> workspaces, String createdAt,
    String createdBy) {

  public static UserJson of(User user) {
    return new UserJson(user.username(), user.roles().stream().map(Role::id).sorted().toList(),
        user.workspaces().stream().sorted().toList(), user.createdAt().toString(),
        user.createdBy());
  }
}
