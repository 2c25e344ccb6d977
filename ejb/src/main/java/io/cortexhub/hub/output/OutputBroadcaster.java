package io.cortexhub.hub.output;

import io.cortexhub.hub.dispatch.TaskId;
import io.cortexhub.hub.dispatch.TaskRecord;
import io.cortexhub.hub.dispatch.TaskView;
import io.cortexhub.hub.dispatch.UnknownTaskException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@link TaskOutputService} for live followers: replay from the database, then committed chunks
 * as they are published, then {@code onFinished}.
 *
 * <p>Each subscriber has a bounded queue and is drained by one task at a time on the executor,
 * so its listener calls are serial and in order. Publishing never blocks: a subscriber whose queue
 * is full is dropped with {@link OutputListener#onOverflow()} and may resubscribe from its last
 * seq. A gap in the live stream (or a finish announced ahead of what the subscriber saw) falls
 * back to reading the database, so a subscriber never misses or repeats a seq. Thread-safe.
 */
public final class OutputBroadcaster implements TaskOutputService {
  private static final Logger LOG = Logger.getLogger(OutputBroadcaster.class.getName());
  private static final int PAGE = 256;

  private final OutputStore store;
  private final Function<TaskId, Optional<TaskRecord>> tasks;
  private final Executor executor;
  private final int queueCapacity;
  private final Map<TaskId, Set<Subscriber>> subscribers = new ConcurrentHashMap<>();

  public OutputBroadcaster(OutputStore store, Function<TaskId, Optional<TaskRecord>> tasks,
      Executor executor, int queueCapacity) {
    this.store = Objects.requireNonNull(store, "store");
    this.tasks = Objects.requireNonNull(tasks, "tasks");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.queueCapacity = queueCapacity;
  }

  @Override
  public List<OutputRecord> read(TaskId task, long afterSeq, int limit) {
    List<OutputRecord> out = store.read(task, afterSeq, limit);
    if (out.isEmpty() && tasks.apply(task).isEmpty()) {
      throw new UnknownTaskException(task);
    }
    return out;
  }

  @Override
  public OutputSubscription subscribe(TaskId task, long afterSeq, OutputListener listener) {
    Objects.requireNonNull(listener, "listener");
    if (tasks.apply(task).isEmpty()) {
      throw new UnknownTaskException(task);
    }
    Subscriber s = new Subscriber(task, Math.max(0, afterSeq), listener);
    // Register before the replay reads the database, so nothing committed meanwhile is missed.
    subscribers.computeIfAbsent(task, k -> ConcurrentHashMap.newKeySet()).add(s);
    s.schedule();
    return s;
  }

  /** Number of live subscriptions (for tests and health). */
  public int subscriberCount() {
    return subscribers.values().stream().mapToInt(Set::size).sum();
  }

  /** Committed chunks of one task, in seq order. */
  void publish(TaskId task, List<OutputRecord> records) {
    for (Subscriber s : subscribers.getOrDefault(task, Set.of())) {
      for (OutputRecord r : records) {
        if (!s.queue.offer(r)) {
          s.overflow();
          break;
        }
      }
      s.schedule();
    }
  }

  /** The task is final and its output complete. */
  void finished(TaskView task) {
    for (Subscriber s : subscribers.getOrDefault(task.id(), Set.of())) {
      if (!s.queue.offer(task)) {
        s.overflow();
      }
      s.schedule();
    }
  }

  private void unregister(Subscriber s) {
    subscribers.computeIfPresent(s.task, (k, set) -> {
      set.remove(s);
      return set.isEmpty() ? null : set;
    });
  }

  private final class Subscriber implements OutputSubscription {
    final TaskId task;
    final OutputListener listener;
    final ArrayBlockingQueue<Object> queue = new ArrayBlockingQueue<>(queueCapacity);
    final AtomicBoolean scheduled = new AtomicBoolean();
    volatile boolean closed;
    volatile boolean overflowed;
    // Touched only by the (serial) drain.
    long lastDelivered;
    boolean replaying = true;

    Subscriber(TaskId task, long afterSeq, OutputListener listener) {
      this.task = task;
      this.lastDelivered = afterSeq;
      this.listener = listener;
    }

    void schedule() {
      if (scheduled.compareAndSet(false, true)) {
        executor.execute(this::drain);
      }
    }

    void overflow() {
      overflowed = true;
      unregister(this);
    }

    @Override
    public void close() {
      closed = true;
      unregister(this);
    }

    private void drain() {
      try {
        while (true) {
          if (closed) {
            return;
          }
          if (overflowed) {
            closed = true;
            listener.onOverflow();
            return;
          }
          if (replaying) {
            replay();
            continue;
          }
          Object next = queue.poll();
          if (next == null) {
            scheduled.set(false);
            if (queue.isEmpty() || !scheduled.compareAndSet(false, true)) {
              return;
            }
            continue;
          }
          if (next instanceof OutputRecord r) {
            if (r.seq() > lastDelivered + 1) {
              replaying = true;
            } else if (r.seq() == lastDelivered + 1) {
              deliver(r);
            }
          } else if (next instanceof TaskView done) {
            if (done.outputSeq() > lastDelivered) {
              catchUp(done.outputSeq());
            }
            finish(done);
          }
        }
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "output subscriber of task " + task + " failed; closing it", e);
        close();
      }
    }

    private void replay() {
      List<OutputRecord> page = store.read(task, lastDelivered, PAGE);
      page.forEach(this::deliver);
      if (page.size() == PAGE) {
        return;
      }
      replaying = false;
      Optional<TaskRecord> t = tasks.apply(task);
      if (t.isPresent() && t.get().state().isFinal()
          && t.get().finalSeq().map(f -> lastDelivered >= f).orElse(true)) {
        finish(t.get().withOutputSeq(lastDelivered).toView());
      }
    }

    private void catchUp(long through) {
      while (lastDelivered < through) {
        List<OutputRecord> page = store.read(task, lastDelivered, PAGE);
        if (page.isEmpty()) {
          return;
        }
        page.forEach(this::deliver);
      }
    }

    private void deliver(OutputRecord r) {
      if (r.seq() <= lastDelivered) {
        return;
      }
      listener.onChunk(r);
      lastDelivered = r.seq();
    }

    private void finish(TaskView done) {
      closed = true;
      unregister(this);
      listener.onFinished(done);
    }
  }
}
