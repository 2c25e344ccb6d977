package io.cortexhub.hub.auth.user;

import io.cortexhub.hub.auth.User;
import java.util.List;
import java.util.Optional;

/** Where local users are kept. Implementations are thread-safe. */
public interface UserStore {

  Optional<StoredUser> find(String username);

  /** Every user, ordered by name. */
  List<User> list();

  /**
   * Inserts a user.
   *
   * @return false if the name is taken (nothing changed)
   */
  boolean insert(StoredUser user);

  /** Deletes a user; false if there was none. */
  boolean delete(String username);

  /** Whether any user exists (the first boot creates the admin when none does). */
  boolean isEmpty();
}
