package io.cortexhub.node.tunnel;

import java.time.Clock;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.DoubleSupplier;

/**
 * The time, threads and randomness an agent runs on, injected so tests can substitute a fake clock
 * and scheduler and a seeded {@link Random}.
 *
 * @param scheduler timers only (heartbeats, reconnects, timeouts); its tasks must be quick
 * @param pool runs the nodes' serial executors; may be shared by many nodes
 * @param io blocking work (process pipes, kills, file deletion); unbounded or generously sized
 * @param loadAverage the one-minute load average for heartbeats, negative if unknown
 */
public record AgentRuntime(
    Clock clock,
    ScheduledExecutorService scheduler,
    Executor pool,
    Executor io,
    Random random,
    DoubleSupplier loadAverage) {
  public AgentRuntime {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(scheduler, "scheduler");
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(io, "io");
    Objects.requireNonNull(random, "random");
    Objects.requireNonNull(loadAverage, "loadAverage");
  }
}
