package io.cortexhub.web.testing;

import io.cortexhub.hub.auth.AuthSettings;
import io.cortexhub.hub.auth.BearerTokens;
import io.cortexhub.hub.auth.User;
import io.cortexhub.hub.auth.ejb.AuthRuntime;
import io.cortexhub.hub.auth.token.UserTokenIssuer;
import io.cortexhub.hub.auth.token.UserTokenKey;
import io.cortexhub.hub.auth.user.LocalUsers;
import io.cortexhub.hub.auth.user.LoginThrottle;
import io.cortexhub.hub.auth.user.PasswordHasher;
import io.cortexhub.hub.auth.user.StoredUser;
import io.cortexhub.hub.auth.user.UserStore;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The hub's real auth logic ({@link LocalUsers}, issuer, {@link BearerTokens}) over an in-memory
 * user table and an in-memory key, for the web layer's tests. The first admin has the password
 * {@link #ADMIN_PASSWORD}. Not thread-safe.
 */
public final class LocalAuth {

  public static final String ADMIN_PASSWORD = "admin-password-for-tests";

  private final UserTokenKey key = UserTokenKey.generate();
  private final LocalUsers users;
  private final BearerTokens tokens;

  public LocalAuth(Clock clock) {
    AuthSettings settings = AuthSettings.defaults(Path.of("/nonexistent"));
    users = new LocalUsers(new MemoryStore(), new PasswordHasher(1_000, new SecureRandom()),
        new LoginThrottle(3, Duration.ofSeconds(30), Duration.ofMinutes(15), clock),
        Optional.of(new UserTokenIssuer(key, "cortex-hub", "cortex-api", Duration.ofMinutes(15),
            clock)), clock);
    users.bootstrapAdmin(Optional.of(ADMIN_PASSWORD), new SecureRandom());
    tokens = AuthRuntime.bearerTokens(settings, Optional.of(key), clock);
  }

  public LocalUsers users() {
    return users;
  }

  public BearerTokens tokens() {
    return tokens;
  }

  public UserTokenKey key() {
    return key;
  }

  private static final class MemoryStore implements UserStore {
    private final Map<String, StoredUser> rows = new TreeMap<>();

    @Override
    public Optional<StoredUser> find(String username) {
      return Optional.ofNullable(rows.get(username));
    }

    @Override
    public List<User> list() {
      return rows.values().stream().map(StoredUser::user).toList();
    }

    @Override
    public boolean insert(StoredUser user) {
      return rows.putIfAbsent(user.user().username(), user) == null;
    }

    @Override
    public boolean delete(String username) {
      return rows.remove(username) != null;
    }

    @Override
    public boolean isEmpty() {
      return rows.isEmpty();
    }
  }
}
