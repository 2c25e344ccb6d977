package io.cortexhub.hub.testing;

import io.cortexhub.hub.connector.api.NodeConnection;
import io.cortexhub.hub.connector.api.NodeConnectionFactory;
import io.cortexhub.hub.connector.api.TaskEnvelope;
import io.cortexhub.hub.dispatch.TaskId;
import io.cortexhub.hub.registry.NodeId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** In-memory connector: records what the hub sends to each node. Thread-safe. */
public final class FakeConnections implements NodeConnectionFactory {
  private final Map<NodeId, Recording> open = new ConcurrentHashMap<>();

  public Recording open(NodeId node, String sessionId) {
    Recording r = new Recording(node, sessionId);
    open.put(node, r);
    return r;
  }

  public void drop(NodeId node) {
    Recording r = open.remove(node);
    if (r != null) {
      r.open = false;
    }
  }

  @Override
  public Optional<NodeConnection> connectionTo(NodeId node) {
    return Optional.<NodeConnection>ofNullable(open.get(node)).filter(NodeConnection::isOpen);
  }

  /** A connection that records every call. */
  public static final class Recording implements NodeConnection {
    private final NodeId node;
    private final String sessionId;
    volatile boolean open = true;
    public final List<TaskEnvelope> tasks = new CopyOnWriteArrayList<>();
    public final List<String> cancels = new CopyOnWriteArrayList<>();
    public final Map<TaskId, Long> acks = new ConcurrentHashMap<>();
    public final List<TaskId> finishedAcks = new CopyOnWriteArrayList<>();
    public final List<String> auditQueries = new CopyOnWriteArrayList<>();
    public final List<Long> checkpointAcks = new CopyOnWriteArrayList<>();
    public volatile String closedWith = "";

    Recording(NodeId node, String sessionId) {
      this.node = node;
      this.sessionId = sessionId;
    }

    @Override
    public NodeId node() {
      return node;
    }

    @Override
    public String sessionId() {
      return sessionId;
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public boolean sendTask(TaskEnvelope envelope) {
      return open && tasks.add(envelope);
    }

    @Override
    public boolean cancel(TaskId task, Duration grace, String reason) {
      return open && cancels.add(task.value());
    }

    @Override
    public boolean ackOutput(TaskId task, long seq) {
      if (open) {
        acks.merge(task, seq, Math::max);
      }
      return open;
    }

    @Override
    public boolean ackFinished(TaskId task) {
      return open && finishedAcks.add(task);
    }

    @Override
    public boolean queryAudit(String queryId, TaskId task) {
      auditQueries.add(queryId + " " + task.value());
      return open;
    }

    @Override
    public boolean ackAuditCheckpoint(long treeSize) {
      checkpointAcks.add(treeSize);
      return open;
    }

    @Override
    public boolean drain(String reason) {
      return open;
    }

    @Override
    public void close(CloseReason reason, String detail) {
      open = false;
      closedWith = reason + ": " + detail;
    }
  }
}
