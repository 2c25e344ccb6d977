package io.cortexhub.web.api.auth;

/**
 * Body of {@code POST /auth/token}. {@link #toString()} hides the password.
 *
 * @param username the local user
 * @param password the user's password
 */
public record TokenRequestJson(String username, String password) {

  @Override
  public String toString() {
    return "TokenRequestJson[username=" + username + "]";
  }
}
