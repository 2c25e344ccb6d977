package io.cortexhub.node.tunnel;

import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs submitted tasks one at a time, in order, on a shared executor.
 *
 * <p>This is what confines a node's state to "one thread at a time" without giving each node a
 * thread: ten thousand simulated nodes share a small pool. A batch yields the pool thread after a
 * bounded number of tasks so that one busy node cannot starve the others. Thread-safe.
 */
public final class SerialExecutor implements Executor {
  private static final Logger LOG = Logger.getLogger(SerialExecutor.class.getName());
  private static final int BATCH = 128;

  private final Executor delegate;
  private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  public SerialExecutor(Executor delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public void execute(Runnable task) {
    queue.add(Objects.requireNonNull(task, "task"));
    schedule();
  }

  private void schedule() {
    if (scheduled.compareAndSet(false, true)) {
      try {
        delegate.execute(this::drain);
      } catch (RejectedExecutionException e) {
        // The pool is shutting down with the process: late callbacks have nowhere to go.
        scheduled.set(false);
        LOG.log(Level.FINE, "node executor's pool is shut down; dropping queued work");
      }
    }
  }

  private void drain() {
    try {
      for (int i = 0; i < BATCH; i++) {
        Runnable r = queue.poll();
        if (r == null) {
          break;
        }
        try {
          r.run();
        } catch (RuntimeException | Error e) {
          LOG.log(Level.SEVERE, "uncaught exception in node executor", e);
        }
      }
    } finally {
      scheduled.set(false);
      if (!queue.isEmpty()) {
        schedule();
      }
    }
  }
}
