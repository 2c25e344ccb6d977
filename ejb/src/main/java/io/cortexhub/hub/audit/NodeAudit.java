package io.cortexhub.hub.audit;

import io.cortexhub.hub.connector.api.NodeConnection;
import io.cortexhub.hub.connector.api.NodeConnectionFactory;
import io.cortexhub.hub.connector.inbound.AuditCheckpointReport;
import io.cortexhub.hub.connector.inbound.AuditRecordsReport;
import io.cortexhub.hub.dispatch.TaskId;
import io.cortexhub.hub.registry.NodeId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The hub's view of node audit logs: stores the checkpoints nodes send (and acknowledges them),
 * and fetches a task's records from the node that ran it. Thread-safe.
 */
public final class NodeAudit implements NodeAuditService {
  private static final Logger LOG = Logger.getLogger(NodeAudit.class.getName());

  private final CheckpointStore store;
  private final AuditQueries queries;
  private final Function<TaskId, Optional<NodeId>> taskNode;
  private final Clock clock;

  /**
   * @param taskNode the node a task was dispatched to, if any
   */
  public NodeAudit(CheckpointStore store, NodeConnectionFactory connections,
      Function<TaskId, Optional<NodeId>> taskNode, Clock clock, Random random,
      Duration queryTimeout) {
    this.store = Objects.requireNonNull(store, "store");
    this.taskNode = Objects.requireNonNull(taskNode, "taskNode");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.queries = new AuditQueries((node, q) -> connections.connectionTo(node)
        .map(c -> c.queryAudit(q.queryId(), q.task())).orElse(false), clock, random,
        queryTimeout);
  }

  /** Stores a checkpoint the node sent and acknowledges it; a rewritten log is refused. */
  public void checkpointReceived(NodeConnection from, AuditCheckpointReport cp) {
    StoredCheckpoint stored = new StoredCheckpoint(from.node(), cp.treeSize(), cp.rootHash(),
        cp.lastRecordHash(), Instant.ofEpochMilli(cp.createdAtUnixMs()), cp.signature(),
        cp.algorithm(), clock.instant());
    try {
      store.save(stored);
    } catch (CheckpointConflictException e) {
      LOG.severe(() -> "node=" + from.node() + " audit checkpoint refused: " + e.getMessage());
      return;
    }
    from.ackAuditCheckpoint(cp.treeSize());
  }

  public void recordsReceived(NodeId node, AuditRecordsReport r) {
    queries.answer(node, r.queryId(), r.records(), r.last(), r.error());
  }

  /** Fails audit queries that ran out of time; called by the hub's sweep. */
  public void expireQueries() {
    queries.expire();
  }

  @Override
  public List<StoredCheckpoint> checkpoints(NodeId node) {
    return store.list(node);
  }

  @Override
  public CompletableFuture<List<String>> taskRecords(TaskId task) {
    Optional<NodeId> node = taskNode.apply(task);
    if (node.isEmpty()) {
      return CompletableFuture.failedFuture(
          new AuditUnavailableException("task " + task + " never reached a node"));
    }
    return queries.query(node.get(), task);
  }
}
