package io.cortexhub.node.testing;

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
 * A clock and a scheduler that only move when a test calls {@link #advance(Duration)}, which runs
 * every task that falls due, in time order, on the calling thread. Thread-safe.
 */
public final class FakeClock extends Clock {
  private final PriorityQueue<Task<?>> queue =
      new PriorityQueue<>(Comparator.<Task<?>>comparingLong(t -> t.due).thenComparingLong(t -> t.order));
  private long nowMillis;
  private long counter;
  private final Scheduler scheduler = new Scheduler();

  public FakeClock(Instant start) {
    this.nowMillis = start.toEpochMilli();
  }

  public ScheduledExecutorService scheduler() {
    return scheduler;
  }

  @Override
  public synchronized long millis() {
    return nowMillis;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  /** Tasks scheduled and not yet run or cancelled. */
  public synchronized int pending() {
    return (int) queue.stream().filter(t -> !t.cancelled).count();
  }

  /** Moves time forward, running every task due on the way. */
  public void advance(Duration d) {
    long target;
    synchronized (this) {
      target = nowMillis + d.toMillis();
    }
    while (true) {
      Task<?> next;
      synchronized (this) {
        next = queue.peek();
        if (next == null || next.due > target) {
          nowMillis = target;
          return;
        }
        queue.poll();
        if (next.cancelled) {
          continue;
        }
        nowMillis = Math.max(nowMillis, next.due);
      }
      next.runOnce();
    }
  }

  private synchronized <V> Task<V> add(Callable<V> body, long delayMillis, long period) {
    Task<V> t = new Task<>(body, nowMillis + Math.max(0, delayMillis), period, counter++);
    queue.add(t);
    return t;
  }

  private final class Task<V> implements ScheduledFuture<V> {
    final Callable<V> body;
    final long period;
    final long order;
    long due;
    volatile boolean cancelled;
    volatile boolean done;

    Task(Callable<V> body, long due, long period, long order) {
      this.body = body;
      this.due = due;
      this.period = period;
      this.order = order;
    }

    void runOnce() {
      try {
        body.call();
      } catch (Exception e) {
        throw new IllegalStateException("scheduled task failed", e);
      }
      if (period > 0 && !cancelled) {
        synchronized (FakeClock.this) {
          due += period;
          queue.add(this);
        }
      } else {
        done = true;
      }
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(due - millis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public int compareTo(Delayed o) {
      return Long.compare(getDelay(TimeUnit.MILLISECONDS), o.getDelay(TimeUnit.MILLISECONDS));
    }

    @Override
    public boolean cancel(boolean mayInterrupt) {
      cancelled = true;
      return !done;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public boolean isDone() {
      return done || cancelled;
    }

    @Override
    public V get() {
      throw new UnsupportedOperationException("fake futures cannot be awaited");
    }

    @Override
    public V get(long timeout, TimeUnit unit) {
      throw new UnsupportedOperationException("fake futures cannot be awaited");
    }
  }

  private final class Scheduler extends AbstractExecutorService implements ScheduledExecutorService {
    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      return add(() -> {
        command.run();
        return null;
      }, unit.toMillis(delay), 0);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
      return add(callable, unit.toMillis(delay), 0);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
      return add(() -> {
        command.run();
        return null;
      }, unit.toMillis(initialDelay), Math.max(1, unit.toMillis(period)));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
      return scheduleAtFixedRate(command, initialDelay, delay, unit);
    }

    @Override
    public void execute(Runnable command) {
      schedule(command, 0, TimeUnit.MILLISECONDS);
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
