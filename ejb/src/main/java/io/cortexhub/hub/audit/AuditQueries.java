package io.cortexhub.hub.audit;

import io.cortexhub.hub.dispatch.TaskId;
import io.cortexhub.hub.registry.NodeId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;

/**
 * Asks nodes for the audit records of a task and collects the answers.
 *
 * <p>A query gets a random id, goes out through {@code send} (an AuditQuery frame on the node's
 * session) and completes when the node's last AuditRecords frame for that id arrives — or fails
 * with {@link AuditUnavailableException} when the node is not connected, reports an error, or
 * does not answer within the timeout (checked by {@link #expire()}, which the hub's clock-driven
 * sweep calls). Answers are accepted only from the node that was asked. Thread-safe.
 */
public final class AuditQueries {
  private final BiPredicate<NodeId, QueryFrame> send;
  private final Clock clock;
  private final Random random;
  private final Duration timeout;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();

  /** What goes to the node. */
  public record QueryFrame(String queryId, TaskId task) {}

  /**
   * @param send queues the query on the node's session; false when the node is not connected
   */
  public AuditQueries(BiPredicate<NodeId, QueryFrame> send, Clock clock, Random random,
      Duration timeout) {
    this.send = Objects.requireNonNull(send, "send");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /** The node's audit records (JSON lines) for the task, in log order. */
  public CompletableFuture<List<String>> query(NodeId node, TaskId task) {
    String id = Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
    Pending p = new Pending(node, clock.instant().plus(timeout));
    pending.put(id, p);
    p.result.whenComplete((r, e) -> pending.remove(id));
    if (!send.test(node, new QueryFrame(id, task))) {
      p.result.completeExceptionally(
          new AuditUnavailableException("node " + node + " is not connected"));
      return p.result;
    }
    return p.result;
  }

  /** Part of an answer arrived from {@code node}. Unknown ids and other nodes' ids are ignored. */
  public void answer(NodeId node, String queryId, List<String> records, boolean last,
      String error) {
    Pending p = pending.get(queryId);
    if (p == null || !p.node.equals(node)) {
      return;
    }
    synchronized (p) {
      p.records.addAll(records);
    }
    if (!error.isEmpty()) {
      p.result.completeExceptionally(
          new AuditUnavailableException("node " + node + " could not answer: " + error));
    } else if (last) {
      synchronized (p) {
        p.result.complete(List.copyOf(p.records));
      }
    }
  }

  /** Fails the queries whose node has not answered within the timeout. */
  public void expire() {
    Instant now = clock.instant();
    for (Pending p : pending.values()) {
      if (!now.isBefore(p.deadline)) {
        p.result.completeExceptionally(new AuditUnavailableException("node " + p.node
            + " did not answer the audit query within " + timeout.toMillis() + " ms"));
      }
    }
  }

  /** Queries waiting for an answer (for tests and metrics). */
  public int pendingCount() {
    return pending.size();
  }

  private static final class Pending {
    final NodeId node;
    final Instant deadline;
    final List<String> records = new ArrayList<>();
    final CompletableFuture<List<String>> result = new CompletableFuture<>();

    Pending(NodeId node, Instant deadline) {
      this.node = node;
      this.deadline = deadline;
    }
  }
}
