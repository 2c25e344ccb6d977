package io.cortexhub.hub.dispatch;

import java.sql.Connection;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Durable storage of tasks.
 *
 * <p>Single-row operations run in their own short transaction; {@link #apply} runs inside the
 * caller's connection so that the journal commits task transitions and output together.
 * Thread-safe.
 */
public interface TaskStore {

  /**
   * Inserts a new task.
   *
   * @throws DuplicateTaskException when its idempotency key is taken (the row is not inserted)
   */
  void insert(TaskRecord task);

  /**
   * Inserts new tasks on {@code c} in one JDBC batch (the caller commits).
   *
   * @throws DuplicateTaskException when any idempotency key is taken; the caller must roll back,
   *     as some rows may have been inserted (PostgreSQL aborts the whole transaction)
   */
  void insertAll(Connection c, List<TaskRecord> tasks);

  /**
   * Inserts one task on {@code c} (the caller commits).
   *
   * @throws DuplicateTaskException when its idempotency key is taken
   */
  void insert(Connection c, TaskRecord task);

  Optional<TaskRecord> find(TaskId id);

  Optional<TaskRecord> findByIdempotencyKey(String key);

  /** The newest tasks of every workspace, newest first. */
  default List<TaskRecord> recent(int limit) {
    return recent(limit, io.cortexhub.hub.workspace.WorkspaceScope.all());
  }

  /** The newest tasks of the workspaces in {@code scope}, newest first. */
  List<TaskRecord> recent(int limit, io.cortexhub.hub.workspace.WorkspaceScope scope);

  /** Every task in QUEUED, DISPATCHED or RUNNING, oldest first: reloaded at boot. */
  List<TaskRecord> unfinished();

  /** Applies transitions in one JDBC batch on {@code c}; final tasks are left untouched. */
  void apply(Connection c, Collection<TaskUpdate> updates);

  /** Raises output_seq of each task to at least the given value, on {@code c}. */
  void raiseOutputSeq(Connection c, java.util.Map<TaskId, Long> seqs);

  /** The idempotency key of a submit was already used. */
  final class DuplicateTaskException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DuplicateTaskException(String key, Throwable cause) {
      super("idempotency key already used: " + key, cause);
    }
  }
}
