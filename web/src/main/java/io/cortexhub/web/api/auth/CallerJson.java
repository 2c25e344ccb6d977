package io.cortexhub.web.api.auth;

import java.util.List;

/**
 * Answer of {@code GET /auth/me}: who the token says the caller is.
 *
 * @param name the user
 * @param roles role names, sorted
 * @param workspaces workspace names or {@code "*"}, sorted
 */
public record CallerJson(String name, List<String> roles, List<String> workspaces) {

  public static CallerJson of(Caller caller) {
    return new CallerJson(caller.name(), caller.roles().stream().sorted().toList(),
        caller.workspaces().stream().sorted().toList());
  }
}
