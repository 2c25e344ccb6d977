package io.cortexhub.node.simulate;

import io.cortexhub.node.identity.CredentialStore;
import io.cortexhub.node.identity.Credentials;
import io.cortexhub.node.identity.InvalidCredentialsException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The identities of a simulated fleet, one sub-directory of the state directory per node name
 * ({@code <state-dir>/sim-00042/credentials.pem}, laid out like a real node's state directory).
 * Cached identities still valid for a while are reused; the others are enrolled afresh, typically
 * with one multi-use join token, several at a time.
 *
 * <p>Stateless apart from the files; {@link #loadOrEnroll} is not meant to run twice at once on one
 * directory.
 */
public final class FleetIdentities {
  /** A cached identity is reused only if it stays valid at least this long. */
  static final Duration MIN_REMAINING = Duration.ofMinutes(1);

  /** Enrolls one node (with the fleet's join token), returning its checked credentials. */
  @FunctionalInterface
  public interface Enroller {
    Credentials enroll(String nodeName);
  }

  /** One node's identity and the store it lives in; {@code enrolledNow} if it was not cached. */
  public record Identity(String name, Credentials credentials, CredentialStore store, boolean enrolledNow) {}

  private FleetIdentities() {}

  /**
   * Loads the identity of every name, enrolling the missing, damaged or expiring ones.
   *
   * @param enroller empty if no join token was given: then every identity must be cached
   * @throws IllegalStateException if identities are missing and there is no enroller, or an
   *     enrollment fails (the message names the node and the reason)
   */
  public static List<Identity> loadOrEnroll(
      Path stateDir, List<String> names, Optional<Enroller> enroller, Clock clock, int concurrency) {
    Objects.requireNonNull(stateDir, "stateDir");
    List<Identity> out = new ArrayList<>(names.size());
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      CredentialStore store = new CredentialStore(stateDir.resolve(names.get(i)));
      Optional<Credentials> cached;
      try {
        cached = store.load();
      } catch (InvalidCredentialsException e) {
        cached = Optional.empty();
      }
      if (cached.isPresent() && cached.get().notAfter().isAfter(clock.instant().plus(MIN_REMAINING))) {
        out.add(new Identity(names.get(i), cached.get(), store, false));
      } else {
        out.add(null);
        missing.add(i);
      }
    }
    if (missing.isEmpty()) {
      return out;
    }
    if (enroller.isEmpty()) {
      throw new IllegalStateException(
          missing.size() + " of " + names.size() + " simulated identities are missing or expiring under " + stateDir
              + " (first: " + names.get(missing.get(0)) + "); pass --join-token with a multi-use token to enroll them");
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, concurrency));
    try {
      List<Future<Identity>> pending = new ArrayList<>();
      for (int i : missing) {
        String name = names.get(i);
        CredentialStore store = new CredentialStore(stateDir.resolve(name));
        pending.add(
            pool.submit(
                () -> {
                  Credentials c = enroller.get().enroll(name);
                  store.save(c);
                  return new Identity(name, c, store, true);
                }));
      }
      for (int k = 0; k < missing.size(); k++) {
        out.set(missing.get(k), pending.get(k).get());
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("enrolling a simulated node failed: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while enrolling simulated nodes", e);
    } finally {
      pool.shutdownNow();
    }
    return out;
  }
}
