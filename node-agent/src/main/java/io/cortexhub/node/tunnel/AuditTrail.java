package io.cortexhub.node.tunnel;

import io.cortexhub.node.audit.AuditTypes;
import io.cortexhub.node.audit.Checkpoint;
import io.cortexhub.node.fs.FileChangeListener;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where the agent writes what happens to each task (the node's audit log), as seen by the task
 * flow: record types are {@link io.cortexhub.node.audit.AuditTypes}.
 *
 * <p>{@link #record} never blocks the caller on the disk and never throws: the audit log forces
 * records to disk, which must not stall the node's serial executor, so records are queued in call
 * order and written by one writer. {@link #recordsForTask} answers after every record queued before
 * it. Implementations are thread-safe.
 */
public interface AuditTrail {
  /** Keeps no records; queries fail with a clear reason (simulated nodes, tunnel-only tests). */
  AuditTrail NONE =
      new AuditTrail() {
        @Override
        public void record(String type, String taskId, Map<String, ?> fields) {}

        @Override
        public CompletableFuture<List<String>> recordsForTask(String taskId) {
          return CompletableFuture.failedFuture(new IllegalStateException("this node keeps no audit log"));
        }

        @Override
        public Optional<Checkpoint> latestCheckpoint() {
          return Optional.empty();
        }
      };

  /**
   * Queues a record.
   *
   * @param taskId the task concerned, or {@code ""}
   * @param fields strings, integers, booleans, lists and maps only
   */
  void record(String type, String taskId, Map<String, ?> fields);

  /** The task's records as the log's JSON lines, oldest first, once everything queued so far is written. */
  CompletableFuture<List<String>> recordsForTask(String taskId);

  /** The newest checkpoint in the log, if any (resent to the hub until acknowledged). */
  Optional<Checkpoint> latestCheckpoint();

  /**
   * The listener to give the fs runner: each change becomes {@code file.changed} with {@code path}
   * and the {@code sha256Before} / {@code sha256After} that exist (a missing one: no regular file).
   */
  default FileChangeListener fileChanges() {
    return (taskId, path, before, after) -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("path", path.toString());
      before.ifPresent(h -> m.put("sha256Before", h));
      after.ifPresent(h -> m.put("sha256After", h));
      record(AuditTypes.FILE_CHANGED, taskId, m);
    };
  }
}
