package io.cortexhub.hub.testing;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** Waits for a condition with a deadline (never a fixed sleep as synchronisation). */
public final class Await {
  private Await() {}

  /** The first non-empty value {@code probe} yields within {@code within}; fails otherwise. */
  public static <T> T value(String what, Duration within, Supplier<Optional<T>> probe) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      Optional<T> v = probe.get();
      if (v.isPresent()) {
        return v.get();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + within + ": " + what);
      }
      // A short pause between probes of another thread's progress; not synchronisation.
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      }
    }
  }

  /** Waits until {@code condition} holds. */
  public static void until(String what, Duration within, Supplier<Boolean> condition) {
    value(what, within, () -> condition.get() ? Optional.of(Boolean.TRUE) : Optional.empty());
  }
}
