package io.cortexhub.hub.auth.user;

import io.cortexhub.hub.auth.BadCredentialsException;
import io.cortexhub.hub.auth.InvalidUserException;
import io.cortexhub.hub.auth.IssuedToken;
import io.cortexhub.hub.auth.NewUser;
import io.cortexhub.hub.auth.Role;
import io.cortexhub.hub.auth.TokenIssuingDisabledException;
import io.cortexhub.hub.auth.UnknownUserException;
import io.cortexhub.hub.auth.User;
import io.cortexhub.hub.auth.UserAuthentication;
import io.cortexhub.hub.auth.UserDirectory;
import io.cortexhub.hub.auth.UserExistsException;
import io.cortexhub.hub.auth.Workspaces;
import io.cortexhub.hub.auth.token.UserTokenIssuer;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The local users' logic: password checks behind the {@link LoginThrottle}, token issuing,
 * creating and deleting users, and the first admin. Plain Java, assembled by the EJB facade and by
 * tests. Every refusal and every change is logged with its reason and actor. Thread-safe.
 */
public final class LocalUsers implements UserAuthentication, UserDirectory {

  /** Name of the admin created at first boot. */
  public static final String BOOTSTRAP_ADMIN = "admin";
  static final int MAX_PASSWORD_LENGTH = 1024;

  private static final Logger LOG = Logger.getLogger(LocalUsers.class.getName());
  private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

  private final UserStore store;
  private final PasswordHasher hasher;
  private final LoginThrottle throttle;
  private final Optional<UserTokenIssuer> issuer;
  private final Clock clock;

  /**
   * @param issuer signs tokens; empty in external mode, where {@link #issueToken} is refused
   */
  public LocalUsers(UserStore store, PasswordHasher hasher, LoginThrottle throttle,
      Optional<UserTokenIssuer> issuer, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.hasher = Objects.requireNonNull(hasher, "hasher");
    this.throttle = Objects.requireNonNull(throttle, "throttle");
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public User authenticate(String username, String password, String clientAddress) {
    String name = username == null ? "" : username;
    String pass = password == null ? "" : password;
    String who = printable(name) + "' from " + printable(clientAddress);
    try {
      throttle.check(name, clientAddress);
    } catch (RuntimeException e) {
      LOG.warning(() -> "Login refused for '" + who + ": " + e.getMessage());
      throw e;
    }
    Optional<StoredUser> stored = pass.length() > MAX_PASSWORD_LENGTH ? Optional.empty()
        : store.find(name);
    boolean ok = stored.isPresent() ? hasher.matches(pass, stored.get().passwordHash())
        : hasher.matchesNothing(pass);
    if (!ok) {
      throttle.failed(name, clientAddress);
      LOG.warning(() -> "Login refused for '" + who + ": "
          + (stored.isPresent() ? "wrong password" : "no such user"));
      throw new BadCredentialsException("wrong user name or password");
    }
    throttle.succeeded(name);
    return stored.get().user();
  }

  @Override
  public IssuedToken issueToken(String username, String password, String clientAddress) {
    UserTokenIssuer signer = issuer.orElseThrow(() -> new TokenIssuingDisabledException(
        "this hub trusts an external token issuer (cortex.auth.mode=external); get a token"
            + " there"));
    User user = authenticate(username, password, clientAddress);
    IssuedToken token = signer.issue(user);
    LOG.info(() -> "Issued a user token to '" + user.username() + "' (roles " + user.roles()
        + ", expires " + token.expiresAt() + ")");
    return token;
  }

  @Override
  public User create(NewUser request, String by) {
    validate(request);
    User user = new User(request.username(), request.roles(), request.workspaces(),
        clock.instant(), by);
    if (!store.insert(new StoredUser(user, hasher.hash(request.password())))) {
      throw new UserExistsException("a user named '" + request.username() + "' already exists");
    }
    LOG.info(() -> "User '" + user.username() + "' created by '" + by + "' (roles "
        + user.roles() + ", workspaces " + user.workspaces() + ")");
    return user;
  }

  @Override
  public List<User> list() {
    return store.list();
  }

  @Override
  public Optional<User> find(String username) {
    return store.find(username).map(StoredUser::user);
  }

  @Override
  public void delete(String username, String by) {
    User user = find(username).orElseThrow(
        () -> new UnknownUserException("no user named '" + printable(username) + "'"));
    if (user.roles().contains(Role.ADMIN)
        && list().stream().filter(u -> u.roles().contains(Role.ADMIN)).count() <= 1) {
      throw new InvalidUserException("'" + username + "' is the last admin and cannot be deleted");
    }
    if (store.delete(username)) {
      LOG.info(() -> "User '" + username + "' deleted by '" + by + "'");
    }
  }

  /**
   * Creates the first admin ({@value #BOOTSTRAP_ADMIN}, every workspace) when there is no user at
   * all: with {@code configuredPassword}, or a generated one that is logged this once.
   *
   * @return the generated password, if one was generated now
   */
  public Optional<String> bootstrapAdmin(Optional<String> configuredPassword, SecureRandom random) {
    if (!store.isEmpty()) {
      configuredPassword.ifPresent(p -> LOG.info("Users exist already: the configured admin"
          + " password (cortex.auth.admin-password) is not applied again"));
      return Optional.empty();
    }
    Optional<String> generated = Optional.empty();
    String password;
    if (configuredPassword.isPresent()) {
      password = configuredPassword.get();
    } else {
      byte[] bytes = new byte[18];
      random.nextBytes(bytes);
      password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      generated = Optional.of(password);
    }
    User admin = new User(BOOTSTRAP_ADMIN, Set.of(Role.ADMIN), Set.of(Workspaces.ALL),
        clock.instant(), "bootstrap");
    if (!store.insert(new StoredUser(admin, hasher.hash(password)))) {
      // Another hub on the same database was first; its admin stands.
      return Optional.empty();
    }
    if (generated.isPresent()) {
      String shown = generated.get();
      LOG.warning(() -> "Created the first admin user '" + BOOTSTRAP_ADMIN + "' with the"
          + " generated password " + shown + " (shown only this once; set"
          + " CORTEX_AUTH_ADMIN_PASSWORD before the first boot to choose it)");
    } else {
      LOG.info(() -> "Created the first admin user '" + BOOTSTRAP_ADMIN + "' with the password"
          + " from cortex.auth.admin-password");
    }
    return generated;
  }

  static void validate(NewUser u) {
    if (!USERNAME.matcher(u.username()).matches()) {
      throw new InvalidUserException("username: 1 to 64 of A-Z a-z 0-9 . _ @ -, starting with a"
          + " letter or digit");
    }
    if (u.password().length() < NewUser.MIN_PASSWORD_LENGTH
        || u.password().length() > MAX_PASSWORD_LENGTH) {
      throw new InvalidUserException("password: " + NewUser.MIN_PASSWORD_LENGTH + " to "
          + MAX_PASSWORD_LENGTH + " characters");
    }
    if (u.roles().isEmpty()) {
      throw new InvalidUserException("roles: at least one of admin, operator, viewer");
    }
    if (u.workspaces().isEmpty() || !Workspaces.validClaim(u.workspaces())) {
      throw new InvalidUserException("workspaces: at least one; each \"*\" or a name of"
          + " lower-case letters, digits, . _ - (at most 64)");
    }
  }

  /** A value fit for one log line: control characters replaced, at most 64 characters. */
  static String printable(String s) {
    if (s == null) {
      return "?";
    }
    String clean = s.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
        .toString();
    return clean.length() > 64 ? clean.substring(0, 64) + "…" : clean;
  }
}
