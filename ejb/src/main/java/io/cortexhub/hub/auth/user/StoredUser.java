package io.cortexhub.hub.auth.user;

import io.cortexhub.hub.auth.User;
import java.util.Objects;

/**
 * A user row: the public view and the password hash, which never leaves this package's logic.
 *
 * @param user what the API shows
 * @param passwordHash {@link PasswordHasher}'s stored form
 */
public record StoredUser(User user, String passwordHash) {

  public StoredUser {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(passwordHash, "passwordHash");
  }

  @Override
  public String toString() {
    return "StoredUser[" + user + "]";
  }
}
