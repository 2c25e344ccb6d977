package io.cortexhub.hub.journal;

import io.cortexhub.hub.connector.inbound.OutputChunkEvent;
import io.cortexhub.hub.dispatch.TaskId;
import io.cortexhub.hub.dispatch.TaskInserts;
import io.cortexhub.hub.dispatch.TaskRecord;
import io.cortexhub.hub.dispatch.TaskStore;
import io.cortexhub.hub.dispatch.TaskUpdate;
import io.cortexhub.hub.output.OutputStore;
import io.cortexhub.hub.persistence.DatabaseException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
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
 * back and retried (with a pause) until it commits; transitions and output are never dropped.
 *
 * <p>New tasks ({@link #insert}) ride in the same batches, so N concurrent submits cost one
 * commit. Their callers wait on a future completed after the commit. A row whose idempotency key
 * is taken fails only its own future (the batch is redone with a savepoint per new task); a batch
 * that fails for any other reason fails the futures of the new tasks in it (their callers answer
 * with an error, nothing was inserted) and retries the rest as before. Before {@link #start} (boot,
 * tests) an insert commits at once on the caller's thread.
 *
 * <p>Tests drive {@link #flush()} directly; production calls {@link #start(ThreadFactory)}.
 * Thread-safe.
 */
public final class Journal implements TaskInserts {
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

  @Override
  public CompletableFuture<Void> insert(TaskRecord task) {
    JournalEntry.TaskInsert entry = new JournalEntry.TaskInsert(task, new CompletableFuture<>());
    if (writer == null || !running) {
      synchronized (flushLock) {
        commitInserts(List.of(entry));
      }
    } else {
      append(entry);
    }
    return entry.durable();
  }

  /** Commits inserts alone (no writer yet) and completes their futures. */
  private void commitInserts(List<JournalEntry> batch) {
    List<JournalEntry> kept = new ArrayList<>(batch);
    try {
      commit(kept);
    } catch (RuntimeException e) {
      // Already failed and removed from `kept` by commit().
    }
    completeInserts(kept);
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
          // New tasks of the failed batch were failed and removed: their callers report it.
          retry.addAll(batch);
          throw e;
        }
        completeInserts(batch);
        afterCommit(batch);
        total += batch.size();
      }
    }
  }

  /**
   * Commits {@code batch}. Inserts refused for a taken key are completed exceptionally and removed
   * from it; on any other failure every insert is completed exceptionally and removed, and the
   * exception is rethrown so that the rest is retried.
   */
  private void commit(List<JournalEntry> batch) {
    List<OutputChunkEvent> chunks = new ArrayList<>();
    List<TaskUpdate> updates = new ArrayList<>();
    List<JournalEntry.TaskInsert> inserts = new ArrayList<>();
    Map<TaskId, Long> seqs = new HashMap<>();
    for (JournalEntry e : batch) {
      if (e instanceof JournalEntry.OutputAppend o) {
        chunks.add(o.chunk());
        seqs.merge(new TaskId(o.chunk().taskId()), o.chunk().seq(), Math::max);
      } else if (e instanceof JournalEntry.TaskChange t) {
        updates.add(t.update());
      } else if (e instanceof JournalEntry.TaskInsert i) {
        inserts.add(i);
      }
    }
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        try {
          tasks.insertAll(c, inserts.stream().map(JournalEntry.TaskInsert::task).toList());
        } catch (TaskStore.DuplicateTaskException dup) {
          // Some key in the batch is taken: redo the inserts row by row, each behind a savepoint,
          // so that only the duplicates fail (PostgreSQL aborts a transaction after an error).
          c.rollback();
          for (JournalEntry.TaskInsert i : insertOneByOne(c, inserts)) {
            batch.remove(i);
          }
        }
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
    } catch (SQLException | RuntimeException e) {
      DatabaseException failure = e instanceof DatabaseException d ? d
          : new DatabaseException("journal batch of " + batch.size() + " entries failed", e);
      batch.removeIf(entry -> {
        if (entry instanceof JournalEntry.TaskInsert i) {
          i.durable().completeExceptionally(failure);
          return true;
        }
        return false;
      });
      throw failure;
    }
  }

  /** Inserts each task behind its own savepoint; returns the refused ones (already failed). */
  private List<JournalEntry.TaskInsert> insertOneByOne(Connection c,
      List<JournalEntry.TaskInsert> inserts) throws SQLException {
    List<JournalEntry.TaskInsert> refused = new ArrayList<>();
    for (JournalEntry.TaskInsert i : inserts) {
      Savepoint sp = c.setSavepoint();
      try {
        tasks.insert(c, i.task());
        c.releaseSavepoint(sp);
      } catch (TaskStore.DuplicateTaskException dup) {
        c.rollback(sp);
        i.durable().completeExceptionally(dup);
        refused.add(i);
      }
    }
    return refused;
  }

  private static void completeInserts(List<JournalEntry> batch) {
    for (JournalEntry e : batch) {
      if (e instanceof JournalEntry.TaskInsert i) {
        i.durable().complete(null);
      }
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
