package io.cortexhub.deploy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/** Polls for a condition until a deadline: the tests' only way to wait. */
final class Await {

  private static final Duration POLL = Duration.ofMillis(200);

  private Await() {}

  /**
   * Returns the first present value {@code probe} yields before {@code timeout}.
   *
   * @throws AssertionError naming {@code what} when the deadline passes
   */
  static <T> T until(String what, Duration timeout, Supplier<Optional<T>> probe) {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      Optional<T> value = probe.get();
      if (value.isPresent()) {
        return value.get();
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      // Polling an external process: a park between probes, not a synchronisation sleep.
      LockSupport.parkNanos(POLL.toNanos());
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what);
      }
    }
  }
}
