package io.cortexhub.node.backoff;

import java.time.Duration;

/**
 * Decides how long to wait before the next reconnect attempt.
 *
 * <p>Implementations need not be thread-safe; the agent calls them from its own serial executor.
 */
public interface Backoff {
  /** The delay before the next attempt; each call counts as one more failed attempt. */
  Duration nextDelay();

  /** Forgets past failures, e.g. after a session that stayed healthy. */
  void reset();
}
