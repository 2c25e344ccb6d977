package io.cortexhub.node.tunnel;

import io.cortexhub.node.backoff.Backoff;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** A backoff that always waits the same time and counts how it is used. */
final class FixedBackoff implements Backoff {
  final Duration delay;
  final AtomicInteger delays = new AtomicInteger();
  final AtomicInteger resets = new AtomicInteger();

  FixedBackoff(Duration delay) {
    this.delay = delay;
  }

  @Override
  public Duration nextDelay() {
    delays.incrementAndGet();
    return delay;
  }

  @Override
  public void reset() {
    resets.incrementAndGet();
  }
}
