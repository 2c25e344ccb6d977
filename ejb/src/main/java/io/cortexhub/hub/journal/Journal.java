package io.cortexhub.hub.journal;

import io.cortexhub.hub.connector.inbound.OutputChunkEvent;
import io.cortexhub.hub.dispatch.TaskId;
import io.cortexhub.hub.dispatch.TaskStore;
import io.cortexhub.hub.dispatch.TaskUpdate;
import io.cortexhub.hub.output.OutputStore;
import io.cortexhub.hub.persistence.DatabaseException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Group-commit writer for task transitions and output.
 *
 * <p>Producers {@link #append} entries to a bounded queue (blocking when it is full, which pushes
 * back through gRPC flow control to the nodes). One writer takes whatever has queued up, at most
 * {@code batchMax} entries, and commits it in a single transaction: output rows in one JDBC batch,
 * transitions in another. Only after the commit does it tell the {@link CommitListener} and run
 * each entry's callback, so nothing is acknowledged before it is durable. A failed batch is rolled
 * back and retried (with a pause) until it commits; entries are never dropped.
 *
 * <p>Tests drive {@link #flush()} directly; production calls {@link #start(ThreadFactory)}.
 * Thread-safe.
 */
public final class Journal {
  private static final Logger LOG = Logger.getLogger(Journal.class.getName());
  private static final Duration RETRY_PAUSE = Duration.ofMillis(500);

  private final DataSource dataSource;
  private final TaskStore tasks;
  private final OutputStore output;
  private final CommitListener listener;
  private final int batchMax;
  private final BlockingQueue<JournalEntry> queue;
  private final Object flushLock = new Object();
  private final List<JournalEntry> retry = new ArrayList<>();
  private volatile boolean running;
  private volatile Thread writer;
  private final CountDownLatch stopped = new CountDownLatch(1);

  public Journal(DataSource dataSource, TaskStore tasks, OutputStore output,
      CommitListener listener, int batchMax, int capacity) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.tasks = Objects.requireNonNull(tasks, "tasks");
    this.output = Objects.requireNonNull(output, "output");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.batchMax = batchMax;
    this.queue = new ArrayBlockingQueue<>(capacity);
  }

  /** Queues an entry; blocks while the queue is full. */
  public void append(JournalEntry entry) {
    Objects.requireNonNull(entry, "entry");
    try {
      queue.put(entry);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while journalling", e);
    }
  }

  public void append(TaskUpdate update, Runnable afterCommit) {
    append(new JournalEntry.TaskChange(update, afterCommit));
  }

  /** Entries waiting to be written (for tests and health). */
  public int backlog() {
    return queue.size() + retry.size();
  }

  /**
   * Writes everything queued now, batch by batch, and returns how many entries were committed.
   *
   * @throws DatabaseException when a batch cannot be committed (it stays queued for a retry)
   */
  public int flush() {
    int total = 0;
    synchronized (flushLock) {
      while (true) {
        List<JournalEntry> batch = new ArrayList<>(retry);
        retry.clear();
        queue.drainTo(batch, Math.max(0, batchMax - batch.size()));
        if (batch.isEmpty()) {
          return total;
        }
        try {
          commit(batch);
        } catch (RuntimeException e) {
          retry.addAll(batch);
          throw e;
        }
        afterCommit(batch);
        total += batch.size();
      }
    }
  }

  private void commit(List<JournalEntry> batch) {
    List<OutputChunkEvent> chunks = new ArrayList<>();
    List<TaskUpdate> updates = new ArrayList<>();
    Map<TaskId, Long> seqs = new HashMap<>();
    for (JournalEntry e : batch) {
      if (e instanceof JournalEntry.OutputAppend o) {
        chunks.add(o.chunk());
        seqs.merge(new TaskId(o.chunk().taskId()), o.chunk().seq(), Math::max);
      } else if (e instanceof JournalEntry.TaskChange t) {
        updates.add(t.update());
      }
    }
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        output.insert(c, chunks);
        tasks.apply(c, updates);
        tasks.raiseOutputSeq(c, seqs);
        c.commit();
      } catch (RuntimeException | SQLException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new DatabaseException("journal batch of " + batch.size() + " entries failed", e);
    }
  }

  private void afterCommit(List<JournalEntry> batch) {
    List<OutputChunkEvent> chunks = new ArrayList<>();
    for (JournalEntry e : batch) {
      if (e instanceof JournalEntry.OutputAppend o) {
        chunks.add(o.chunk());
      }
    }
    if (!chunks.isEmpty()) {
      safely(() -> listener.outputCommitted(chunks));
    }
    for (JournalEntry e : batch) {
      if (e instanceof JournalEntry.TaskChange t) {
        safely(t.afterCommit());
      }
    }
  }

  private static void safely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      // A failing callback must not undo a commit nor stop the writer.
      LOG.log(Level.WARNING, "journal callback failed", e);
    }
  }

  /** Starts the writer thread. */
  public void start(ThreadFactory threads) {
    running = true;
    Thread t = threads.newThread(this::runWriter);
    t.setName("cortex-journal");
    writer = t;
    t.start();
  }

  private void runWriter() {
    try {
      while (running) {
        JournalEntry first = queue.poll(200, TimeUnit.MILLISECONDS);
        synchronized (flushLock) {
          if (first != null) {
            // Failed entries in `retry` are older than anything still queued: keep the order.
            retry.add(first);
          }
          if (retry.isEmpty()) {
            continue;
          }
        }
        try {
          flush();
        } catch (RuntimeException e) {
          LOG.log(Level.SEVERE, "journal write failed, retrying in " + RETRY_PAUSE, e);
          // Pause by waiting on the stop latch: wakes at once when the journal stops.
          stopped.await(RETRY_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the writer and writes what is left; waits at most {@code timeout}. */
  public void stop(Duration timeout) {
    running = false;
    stopped.countDown();
    Thread t = writer;
    if (t != null) {
      try {
        t.join(timeout.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      flush();
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "journal could not write its last " + backlog() + " entries", e);
    }
  }
}
