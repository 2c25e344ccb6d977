package io.cortexhub.web.api.tasks;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * When SSE streams send their {@code : keep-alive} comment: every {@link #interval()} on a shared
 * scheduler.
 *
 * <p>Why: a client that goes away is only noticed when a write to it fails, and a task that prints
 * nothing for minutes gives the stream nothing to write; without a periodic comment its subscription
 * would live until the next chunk or the task's end. The interval is {@value #KEY} in MicroProfile
 * Config (ISO-8601, default {@value #DEFAULT}); a dead client is noticed within about two intervals,
 * as the first write after a disconnect may still be buffered by the operating system.
 *
 * <p>Immutable and thread-safe; the ticks run on the scheduler's threads.
 */
public final class SseKeepAlive {

  /** MicroProfile Config key of the interval. */
  public static final String KEY = "cortex.sse.keepalive";

  /** The interval when {@value #KEY} is not set. */
  public static final String DEFAULT = "PT15S";

  private final Duration interval;
  private final ScheduledExecutorService scheduler;

  /**
   * @param interval time between two keep-alive comments of one stream; positive
   * @param scheduler runs the ticks (the container's managed scheduler in the hub)
   */
  public SseKeepAlive(Duration interval, ScheduledExecutorService scheduler) {
    this.interval = positive(Objects.requireNonNull(interval, "interval"), interval.toString());
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
  }

  /**
   * Reads a configured interval.
   *
   * @throws IllegalArgumentException naming {@value #KEY} when the value is not a positive ISO-8601
   *     duration such as {@code PT15S}
   */
  public static Duration parse(String value) {
    Objects.requireNonNull(value, "value");
    Duration interval;
    try {
      interval = Duration.parse(value.trim());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          KEY + " must be an ISO-8601 duration such as " + DEFAULT + ", got '" + value + "'", e);
    }
    return positive(interval, value);
  }

  public Duration interval() {
    return interval;
  }

  /** Runs {@code tick} every interval, the first one interval from now, until the future is cancelled. */
  ScheduledFuture<?> every(Runnable tick) {
    long millis = interval.toMillis();
    return scheduler.scheduleAtFixedRate(tick, millis, millis, TimeUnit.MILLISECONDS);
  }

  private static Duration positive(Duration interval, String value) {
    // Below a millisecond the scheduler would be asked for a period of zero, which it refuses.
    if (interval.toMillis() < 1) {
      throw new IllegalArgumentException(
          KEY + " must be at least one millisecond, got '" + value + "'");
    }
    return interval;
  }
}
