package io.cortexhub.hub.auth;

import java.util.List;
import java.util.Optional;

/**
 * The local users: create, list, find, delete. Implementations are container-managed and
 * thread-safe; every change is logged with who made it.
 */
public interface UserDirectory {

  /**
   * Creates a user.
   *
   * @param by who asks (logged and stored)
   * @throws InvalidUserException when a field breaks the rules of {@link NewUser}
   * @throws UserExistsException when the name is taken
   */
  User create(NewUser user, String by);

  /** Every user, by name. */
  List<User> list();

  Optional<User> find(String username);

  /**
   * Deletes a user. Tokens already issued stay valid until they expire (at most the token
   * lifetime).
   *
   * @throws UnknownUserException when there is no such user
   * @throws InvalidUserException when it is the last admin (the hub would become unmanageable)
   */
  void delete(String username, String by);
}
