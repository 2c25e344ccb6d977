package io.cortexhub.web.api.users;

import java.util.List;

/**
 * Body of {@code POST /users}. {@link #toString()} hides the password.
 *
 * @param username 1 to 64 of {@code A-Z a-z 0-9 . _ @ -}
 * @param password at least 12 characters
 * @param roles any of {@code admin}, {@code operator}, {@code viewer}
 * @param workspaces workspace names, or {@code ["*"]} for all
 */
public record NewUserJson(
    String username, String password, List<String> roles, List<String> workspaces) {

  @Override
  public String toString() {
    return "NewUserJson[username=" + username + ", roles=" + roles + ", workspaces="
        + workspaces + "]";
  }
}
