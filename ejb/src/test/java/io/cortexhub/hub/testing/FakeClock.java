package io.cortexhub.hub.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A clock that moves only when told, with a scheduler on the same time line: {@link
 * #advance(Duration)} moves time forward and runs every scheduled task that falls due, in order,
 * on the calling thread. The one shared time fixture of the hub's tests. Thread-safe.
 */
public final class FakeClock extends Clock {
  private Instant now;
  private long sequence;
  private final PriorityQueue<Job> jobs = new PriorityQueue<>(
      Comparator.comparing((Job j) -> j.due).thenComparingLong(j -> j.order));
  private final Scheduler scheduler = new Scheduler();

  public FakeClock() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  public FakeClock(Instant start) {
    this.now = start;
  }

  @Override
  public synchronized Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  /** Moves time forward by {@code d}, running due tasks at their due times. */
  public void advance(Duration d) {
    Instant target;
    synchronized (this) {
      target = now.plus(d);
    }
    while (true) {
      Job next;
      synchronized (this) {
        next = jobs.peek();
        if (next == null || next.due.isAfter(target)) {
          now = target;
          return;
        }
        jobs.poll();
        now = next.due;
      }
      if (!next.cancelled) {
        next.task.run();
        if (next.period != null && !next.cancelled) {
          synchronized (this) {
            next.due = next.due.plus(next.period);
            next.order = sequence++;
            jobs.add(next);
          }
        }
      }
    }
  }

  /** A scheduler whose delays are measured on this clock. */
  public ScheduledExecutorService scheduler() {
    return scheduler;
  }

  private final class Job implements ScheduledFuture<Object> {
    Instant due;
    long order;
    final Duration period;
    final Runnable task;
    volatile boolean cancelled;

    Job(Instant due, Duration period, Runnable task) {
      this.due = due;
      this.period = period;
      this.task = task;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(Duration.between(instant(), due));
    }

    @Override
    public int compareTo(Delayed o) {
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public boolean cancel(boolean mayInterrupt) {
      cancelled = true;
      return true;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public boolean isDone() {
      return cancelled;
    }

    @Override
    public Object get() {
      throw new UnsupportedOperationException("fake scheduled future");
    }

    @Override
    public Object get(long timeout, TimeUnit unit) {
      throw new UnsupportedOperationException("fake scheduled future");
    }
  }

  private Job add(Duration delay, Duration period, Runnable task) {
    synchronized (this) {
      Job j = new Job(now.plus(delay), period, task);
      j.order = sequence++;
      jobs.add(j);
      return j;
    }
  }

  private final class Scheduler extends AbstractExecutorService
      implements ScheduledExecutorService {
    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      return add(Duration.of(delay, unit.toChronoUnit()), null, command);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
      throw new UnsupportedOperationException("not needed by the hub");
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay,
        long period, TimeUnit unit) {
      return add(Duration.of(initialDelay, unit.toChronoUnit()),
          Duration.of(period, unit.toChronoUnit()), command);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay,
        long delay, TimeUnit unit) {
      return scheduleAtFixedRate(command, initialDelay, delay, unit);
    }

    @Override
    public void execute(Runnable command) {
      add(Duration.ZERO, null, command);
    }

    @Override
    public void shutdown() {}

    @Override
    public List<Runnable> shutdownNow() {
      return new ArrayList<>();
    }

    @Override
    public boolean isShutdown() {
      return false;
    }

    @Override
    public boolean isTerminated() {
      return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return true;
    }
  }

}
