package io.cortexhub.web.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A clock that stands still until a test advances it, with a {@link #scheduler()} on the same time
 * line: {@link #advance(Duration)} runs every task that falls due, in due order, on the calling
 * thread. Not thread-safe.
 */
public final class MutableClock extends Clock {

  private final List<Job> jobs = new ArrayList<>();
  private final Scheduler scheduler = new Scheduler();
  private Instant now;
  private long scheduled;

  public MutableClock(Instant start) {
    this.now = start;
  }

  /** Moves time forward by {@code by}, running the tasks due on the way at their due times. */
  public void advance(Duration by) {
    Instant target = now.plus(by);
    for (Job next = nextDue(target); next != null; next = nextDue(target)) {
      now = next.due;
      next.run();
    }
    now = target;
  }

  /** A scheduler whose delays pass only when this clock is advanced. */
  public ScheduledExecutorService scheduler() {
    return scheduler;
  }

  /** Scheduled tasks not yet run (one-shot) or not cancelled (periodic). */
  public int pendingTasks() {
    return (int) jobs.stream().filter(job -> !job.cancelled).count();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("UTC only");
  }

  @Override
  public Instant instant() {
    return now;
  }

  private Job nextDue(Instant target) {
    jobs.removeIf(job -> job.cancelled);
    return jobs.stream()
        .filter(job -> !job.due.isAfter(target))
        .min(Comparator.comparing((Job job) -> job.due).thenComparingLong(job -> job.order))
        .orElse(null);
  }

  private Job schedule(Runnable task, long delay, long period, TimeUnit unit) {
    Job job = new Job(task, now.plus(Duration.of(delay, unit.toChronoUnit())),
        period > 0 ? Duration.of(period, unit.toChronoUnit()) : null, scheduled++);
    jobs.add(job);
    return job;
  }

  private final class Job implements ScheduledFuture<Object> {
    final Runnable task;
    final Duration period;
    Instant due;
    long order;
    boolean cancelled;

    Job(Runnable task, Instant due, Duration period, long order) {
      this.task = task;
      this.due = due;
      this.period = period;
      this.order = order;
    }

    void run() {
      if (period == null) {
        cancelled = true;
      } else {
        due = due.plus(period);
        order = scheduled++;
      }
      task.run();
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean wasPending = !cancelled;
      cancelled = true;
      return wasPending;
    }

    @Override
    public boolean isCancelled() {
      return cancelled && period != null;
    }

    @Override
    public boolean isDone() {
      return cancelled;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(Duration.between(now, due));
    }

    @Override
    public int compareTo(Delayed other) {
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public Object get() {
      throw new UnsupportedOperationException("not needed by the tests");
    }

    @Override
    public Object get(long timeout, TimeUnit unit) {
      throw new UnsupportedOperationException("not needed by the tests");
    }
  }

  private final class Scheduler extends AbstractExecutorService
      implements ScheduledExecutorService {

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      return MutableClock.this.schedule(command, delay, 0, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
      throw new UnsupportedOperationException("not needed by the tests");
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period,
        TimeUnit unit) {
      if (period <= 0) {
        throw new IllegalArgumentException("period must be positive: " + period);
      }
      return MutableClock.this.schedule(command, initialDelay, period, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay,
        long delay, TimeUnit unit) {
      // Tasks take no time on this clock, so a fixed delay is a fixed rate.
      return scheduleAtFixedRate(command, initialDelay, delay, unit);
    }

    @Override
    public void execute(Runnable command) {
      schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public void shutdown() {
      throw new UnsupportedOperationException("the clock's scheduler is never shut down");
    }

    @Override
    public List<Runnable> shutdownNow() {
      throw new UnsupportedOperationException("the clock's scheduler is never shut down");
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
      return false;
    }
  }
}
