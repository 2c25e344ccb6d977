package io.cortexhub.node.backoff;

import java.time.Duration;
import java.util.Objects;
import java.util.Random;

/**
 * Exponential backoff with full jitter: attempt {@code n} (from 0) waits a uniformly random delay in
 * {@code [0, min(cap, base * 2^n)]}.
 *
 * <p>Full jitter (rather than "exponential plus a little noise") spreads a reconnecting fleet over the
 * whole window, which is what keeps a restarted hub from being hit by every node at once. Not
 * thread-safe.
 */
public final class FullJitterBackoff implements Backoff {
  /** Base 500 ms, cap 30 s: the agent's defaults. */
  public static final Duration DEFAULT_BASE = Duration.ofMillis(500);

  public static final Duration DEFAULT_CAP = Duration.ofSeconds(30);

  private final long baseMillis;
  private final long capMillis;
  private final Random random;
  private int attempt;

  public FullJitterBackoff(Duration base, Duration cap, Random random) {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(cap, "cap");
    this.random = Objects.requireNonNull(random, "random");
    if (base.isNegative() || base.isZero()) {
      throw new IllegalArgumentException("base must be positive: " + base);
    }
    if (cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("cap " + cap + " is below base " + base);
    }
    this.baseMillis = base.toMillis();
    this.capMillis = cap.toMillis();
  }

  /** The current ceiling of the random delay, before jitter. */
  public Duration ceiling() {
    return Duration.ofMillis(ceilingMillis());
  }

  @Override
  public Duration nextDelay() {
    long ceiling = ceilingMillis();
    if (attempt < 62) {
      attempt++;
    }
    return Duration.ofMillis(random.nextLong(ceiling + 1));
  }

  @Override
  public void reset() {
    attempt = 0;
  }

  private long ceilingMillis() {
    // Shift only while it cannot overflow; past that the cap wins anyway.
    if (attempt >= 62 || baseMillis > (capMillis >> Math.min(attempt, 62))) {
      return capMillis;
    }
    return Math.min(capMillis, baseMillis << attempt);
  }
}
