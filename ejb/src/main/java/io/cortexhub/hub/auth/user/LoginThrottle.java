package io.cortexhub.hub.auth.user;

import io.cortexhub.hub.auth.LoginThrottledException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Slows password guessing down politely: after {@code maxFailures} consecutive failures for a user
 * name, or from a client address, further attempts on that key are refused without checking the
 * password, first for {@code lockout}, then twice as long after each further failure, at most
 * {@code maxLockout}. A success clears the user name's count (never the address's, so one known
 * password cannot be used to keep guessing others); an address's count is forgotten once it has
 * been quiet for {@code maxLockout}.
 *
 * <p>Memory is bounded: quiet entries are dropped when the table grows past {@link #MAX_KEYS}.
 * Synchronized: logins are rare and dominated by password hashing.
 */
public final class LoginThrottle {

  static final int MAX_KEYS = 10_000;

  private final int maxFailures;
  private final Duration lockout;
  private final Duration maxLockout;
  private final Clock clock;
  private final Map<String, Entry> entries = new HashMap<>();

  private static final class Entry {
    int failures;
    Instant lastFailure;
    Instant blockedUntil = Instant.MIN;
  }

  public LoginThrottle(int maxFailures, Duration lockout, Duration maxLockout, Clock clock) {
    if (maxFailures < 1) {
      throw new IllegalArgumentException("maxFailures must be >= 1");
    }
    this.maxFailures = maxFailures;
    this.lockout = Objects.requireNonNull(lockout, "lockout");
    this.maxLockout = Objects.requireNonNull(maxLockout, "maxLockout");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Refuses the attempt if the user name or the address is blocked now.
   *
   * @throws LoginThrottledException naming which and for how long
   */
  public synchronized void check(String username, String address) {
    Instant now = clock.instant();
    Optional<Duration> user = remaining(userKey(username), now);
    Optional<Duration> addr = remaining(addressKey(address), now);
    if (user.isPresent() || addr.isPresent()) {
      Duration wait = longer(user.orElse(Duration.ZERO), addr.orElse(Duration.ZERO));
      throw new LoginThrottledException("too many failed logins "
          + (user.isPresent() ? "for this user" : "from this address") + "; retry in "
          + Math.max(1, wait.toSeconds()) + " s", wait);
    }
  }

  /** Records a failed attempt for both keys. */
  public synchronized void failed(String username, String address) {
    Instant now = clock.instant();
    prune(now);
    fail(userKey(username), now);
    fail(addressKey(address), now);
  }

  /** Records a success: the user name's count starts again. */
  public synchronized void succeeded(String username) {
    entries.remove(userKey(username));
  }

  private void fail(String key, Instant now) {
    Entry e = entries.computeIfAbsent(key, k -> new Entry());
    if (e.lastFailure != null && e.lastFailure.plus(maxLockout).isBefore(now)) {
      e.failures = 0;
    }
    e.failures++;
    e.lastFailure = now;
    if (e.failures >= maxFailures) {
      int doublings = Math.min(e.failures - maxFailures, 20);
      Duration block = lockout.multipliedBy(1L << doublings);
      e.blockedUntil = now.plus(block.compareTo(maxLockout) > 0 ? maxLockout : block);
    }
  }

  private Optional<Duration> remaining(String key, Instant now) {
    Entry e = entries.get(key);
    if (e == null || !now.isBefore(e.blockedUntil)) {
      return Optional.empty();
    }
    return Optional.of(Duration.between(now, e.blockedUntil));
  }

  private void prune(Instant now) {
    if (entries.size() < MAX_KEYS) {
      return;
    }
    entries.values().removeIf(e -> e.lastFailure.plus(maxLockout).isBefore(now)
        && !now.isBefore(e.blockedUntil));
  }

  private static Duration longer(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static String userKey(String username) {
    return "user:" + username;
  }

  private static String addressKey(String address) {
    return "addr:" + address;
  }
}
