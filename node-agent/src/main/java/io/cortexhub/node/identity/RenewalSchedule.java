package io.cortexhub.node.identity;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;

/**
 * When to renew a certificate and when to retry a failed renewal.
 *
 * <p>Renewal is due at two thirds of the lifetime, shifted by a uniformly random ±10 % so that
 * nodes enrolled in one burst do not all renew in the same second. A failed attempt is retried
 * after a tenth of the time left (at least 5 s, at most 5 min, with jitter), so retries get more
 * frequent as expiry nears. Stateless; thread-safe if the {@link Random} is.
 */
public final class RenewalSchedule {
  static final double JITTER = 0.10;
  static final Duration MIN_RETRY = Duration.ofSeconds(5);
  static final Duration MAX_RETRY = Duration.ofMinutes(5);

  private RenewalSchedule() {}

  /** The renewal instant for a certificate valid from {@code notBefore} to {@code notAfter}. */
  public static Instant renewAt(Instant notBefore, Instant notAfter, Random random) {
    long lifetime = Duration.between(notBefore, notAfter).toMillis();
    double factor = 1.0 + JITTER * (2 * random.nextDouble() - 1);
    return notBefore.plusMillis(Math.round(lifetime * 2.0 / 3.0 * factor));
  }

  /** Delay before retrying a failed renewal, given how long the certificate has left. */
  public static Duration retryDelay(Duration remaining, Random random) {
    long tenth = Math.max(0, remaining.toMillis() / 10);
    long base = Math.min(MAX_RETRY.toMillis(), Math.max(MIN_RETRY.toMillis(), tenth));
    // Between half and all of the base: spreads a fleet's retries after a hub outage.
    return Duration.ofMillis(base / 2 + (long) (random.nextDouble() * (base / 2.0)));
  }
}
