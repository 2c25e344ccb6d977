package io.cortexhub.e2e.support;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Waits for a condition with a deadline, polling. The only way tests here synchronise with the processes
 * under test: never a fixed sleep.
 */
public final class Await {
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private Await() {}

  /** Polls until {@code condition} is true or throws {@link AssertionError} naming what did not happen. */
  public static void until(String what, Duration timeout, Supplier<Boolean> condition) {
    value(what, timeout, () -> condition.get() ? Optional.of(Boolean.TRUE) : Optional.empty());
  }

  /** Polls until {@code probe} yields a value and returns it. Exceptions from the probe count as "not yet". */
  public static <T> T value(String what, Duration timeout, Supplier<Optional<T>> probe) {
    long deadline = System.nanoTime() + timeout.toNanos();
    RuntimeException last = null;
    while (true) {
      try {
        Optional<T> value = probe.get();
        if (value.isPresent()) {
          return value.get();
        }
      } catch (RuntimeException e) {
        last = e;
      }
      if (System.nanoTime() - deadline > 0) {
        AssertionError error = new AssertionError("timed out after " + timeout + " waiting for " + what);
        if (last != null) {
          error.initCause(last);
        }
        throw error;
      }
      LockSupport.parkNanos(POLL_NANOS);
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what);
      }
    }
  }
}
