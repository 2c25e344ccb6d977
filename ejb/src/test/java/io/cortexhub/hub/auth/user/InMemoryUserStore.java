package io.cortexhub.hub.auth.user;

import io.cortexhub.hub.auth.User;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** {@link UserStore} in a map, for tests of the logic above it. Thread-safe (synchronized). */
final class InMemoryUserStore implements UserStore {
  private final Map<String, StoredUser> users = new TreeMap<>();

  @Override
  public synchronized Optional<StoredUser> find(String username) {
    return Optional.ofNullable(users.get(username));
  }

  @Override
  public synchronized List<User> list() {
    return users.values().stream().map(StoredUser::user).toList();
  }

  @Override
  public synchronized boolean insert(StoredUser user) {
    return users.putIfAbsent(user.user().username(), user) == null;
  }

  @Override
  public synchronized boolean delete(String username) {
    return users.remove(username) != null;
  }

  @Override
  public synchronized boolean isEmpty() {
    return users.isEmpty();
  }
}
