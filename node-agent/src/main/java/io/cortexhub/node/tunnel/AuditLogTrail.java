package io.cortexhub.node.tunnel;

import io.cortexhub.node.audit.AuditLog;
import io.cortexhub.node.audit.Checkpoint;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@link AuditTrail} of a real node: an {@link AuditLog} written by one thread of its own, in
 * the order records were queued.
 *
 * <p>A record that cannot be written (the log failed, a field the log refuses) is logged as SEVERE
 * and dropped; the task flow goes on, because a node that stops working when its disk fills would
 * let the disk decide. {@link #close()} writes what is queued, then closes the log (which writes
 * a final checkpoint). Thread-safe.
 */
public final class AuditLogTrail implements AuditTrail, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(AuditLogTrail.class.getName());

  private final AuditLog log;
  private final ExecutorService writer;

  /** Takes ownership of {@code log}: {@link #close()} closes it. */
  public AuditLogTrail(AuditLog log) {
    this.log = Objects.requireNonNull(log, "log");
    this.writer =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "cortex-audit");
              t.setDaemon(true);
              return t;
            });
  }

  /** The log written to. */
  public AuditLog log() {
    return log;
  }

  @Override
  public void record(String type, String taskId, Map<String, ?> fields) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(taskId, "taskId");
    Map<String, ?> copy = Map.copyOf(fields);
    try {
      writer.execute(() -> write(type, taskId, copy));
    } catch (RejectedExecutionException e) {
      LOG.severe("audit record " + type + " for task '" + taskId + "' not written: the audit log is closed");
    }
  }

  private void write(String type, String taskId, Map<String, ?> fields) {
    try {
      log.append(type, taskId, fields);
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "audit record " + type + " for task '" + taskId + "' not written: " + e.getMessage(), e);
    }
  }

  @Override
  public CompletableFuture<List<String>> recordsForTask(String taskId) {
    Objects.requireNonNull(taskId, "taskId");
    try {
      return CompletableFuture.supplyAsync(() -> log.recordsForTask(taskId), writer);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new IllegalStateException("the audit log is closed", e));
    }
  }

  @Override
  public Optional<Checkpoint> latestCheckpoint() {
    return log.latestCheckpoint();
  }

  /** Writes every queued record, then closes the log (final checkpoint, forced to disk). */
  @Override
  public void close() {
    writer.shutdown();
    try {
      if (!writer.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warning("audit writer did not finish within 30 s; closing the log anyway");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.close();
  }
}
