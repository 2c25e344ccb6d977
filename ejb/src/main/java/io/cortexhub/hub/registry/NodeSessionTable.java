package io.cortexhub.hub.registry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The in-memory table of nodes and their live sessions, and the reachability state machine.
 *
 * <p>Every known node has a row (loaded as OFFLINE at boot). {@link #open} makes a node ONLINE
 * under a session id; heartbeats keep it there; {@link #sweep} moves a node whose last sign of life
 * is older than {@code staleAfter} to STALE and older than {@code offlineAfter} to OFFLINE; a
 * heartbeat brings a STALE node back; {@link #closed} takes it OFFLINE at once, but only for its
 * current session, so the old stream of a replaced session cannot knock the new one offline.
 * Time comes only from the {@code now} arguments, so tests drive it with a fake clock.
 *
 * <p>Thread-safe: every method is synchronized and short; it never calls out.
 */
public final class NodeSessionTable {
  private final Duration staleAfter;
  private final Duration offlineAfter;
  private final Map<NodeId, Row> rows = new HashMap<>();

  public NodeSessionTable(Duration staleAfter, Duration offlineAfter) {
    this.staleAfter = Objects.requireNonNull(staleAfter, "staleAfter");
    this.offlineAfter = Objects.requireNonNull(offlineAfter, "offlineAfter");
    if (offlineAfter.compareTo(staleAfter) <= 0) {
      throw new IllegalArgumentException("offlineAfter must be longer than staleAfter");
    }
  }

  private static final class Row {
    NodeView view;
    String sessionId = "";
    Instant lastSeen;
  }

  /** Adds stored nodes after a boot; all are OFFLINE because no session survived the restart. */
  public synchronized void load(List<NodeView> stored, Instant now) {
    for (NodeView v : stored) {
      Row r = new Row();
      r.view = withState(v, NodeState.OFFLINE, v.lastHeartbeatAt());
      r.lastSeen = now;
      rows.put(v.id(), r);
    }
  }

  /**
   * A session of {@code node} is open (Hello accepted). Returns the transitions: via CONNECTING
   * to ONLINE, or nothing when an ONLINE node merely replaced its session.
   */
  public synchronized List<NodeTransition> open(NodeView node, String sessionId, Instant now) {
    Row r = rows.computeIfAbsent(node.id(), id -> new Row());
    NodeState before = r.view == null ? NodeState.OFFLINE : r.view.state();
    r.view = new NodeView(node.id(), node.name(), node.workspace(), NodeState.ONLINE, node.labels(),
        node.capabilities(), node.manifest(), node.maxTasks(), 0, now, Optional.of(now));
    r.sessionId = sessionId;
    r.lastSeen = now;
    List<NodeTransition> out = new ArrayList<>();
    if (before != NodeState.ONLINE) {
      if (before != NodeState.CONNECTING) {
        out.add(new NodeTransition(node.id(), before, NodeState.CONNECTING, now, "connected"));
      }
      out.add(new NodeTransition(node.id(), NodeState.CONNECTING, NodeState.ONLINE, now,
          "hello accepted"));
    }
    return out;
  }

  /** A heartbeat (or any frame) arrived; a STALE node is ONLINE again. */
  public synchronized Optional<NodeTransition> heartbeat(NodeId node, Instant now) {
    Row r = rows.get(node);
    if (r == null || r.view.state() == NodeState.OFFLINE) {
      return Optional.empty();
    }
    r.lastSeen = now;
    NodeState before = r.view.state();
    r.view = withState(r.view, NodeState.ONLINE, Optional.of(now));
    return before == NodeState.STALE
        ? Optional.of(new NodeTransition(node, before, NodeState.ONLINE, now, "heartbeat"))
        : Optional.empty();
  }

  /** The session ended; the node is OFFLINE unless a newer session already replaced it. */
  public synchronized Optional<NodeTransition> closed(NodeId node, String sessionId, Instant now,
      String reason) {
    Row r = rows.get(node);
    if (r == null || !r.sessionId.equals(sessionId) || r.view.state() == NodeState.OFFLINE) {
      return Optional.empty();
    }
    NodeState before = r.view.state();
    r.view = withState(r.view, NodeState.OFFLINE, r.view.lastHeartbeatAt());
    r.sessionId = "";
    return Optional.of(new NodeTransition(node, before, NodeState.OFFLINE, now, reason));
  }

  /** Applies heartbeat deadlines at {@code now}; returns what changed. */
  public synchronized List<NodeTransition> sweep(Instant now) {
    List<NodeTransition> out = new ArrayList<>();
    for (var e : rows.entrySet()) {
      Row r = e.getValue();
      NodeState s = r.view.state();
      if (s == NodeState.OFFLINE) {
        continue;
      }
      Duration silent = Duration.between(r.lastSeen, now);
      NodeState next = silent.compareTo(offlineAfter) >= 0 ? NodeState.OFFLINE
          : silent.compareTo(staleAfter) >= 0 ? NodeState.STALE : s;
      if (next != s) {
        r.view = withState(r.view, next, r.view.lastHeartbeatAt());
        out.add(new NodeTransition(e.getKey(), s, next, now,
            "no heartbeat for " + silent.toMillis() + " ms"));
        if (next == NodeState.OFFLINE) {
          r.sessionId = "";
        }
      }
    }
    return out;
  }

  /** The current session id of an ONLINE or STALE node. */
  public synchronized Optional<String> sessionOf(NodeId node) {
    Row r = rows.get(node);
    return r == null || r.sessionId.isEmpty() ? Optional.empty() : Optional.of(r.sessionId);
  }

  public synchronized Optional<NodeView> find(NodeId node) {
    Row r = rows.get(node);
    return r == null ? Optional.empty() : Optional.of(r.view);
  }

  public synchronized boolean contains(NodeId node) {
    return rows.containsKey(node);
  }

  /** Nodes matching {@code filter}, in no particular order. */
  public synchronized List<NodeView> select(Predicate<NodeView> filter) {
    List<NodeView> out = new ArrayList<>();
    for (Row r : rows.values()) {
      if (filter.test(r.view)) {
        out.add(r.view);
      }
    }
    return out;
  }

  /** All nodes, ONLINE first, then by name. */
  public synchronized List<NodeView> all() {
    List<NodeView> out = new ArrayList<>(rows.size());
    rows.values().forEach(r -> out.add(r.view));
    out.sort(Comparator.comparing((NodeView v) -> v.state() != NodeState.ONLINE)
        .thenComparing(NodeView::name));
    return out;
  }

  private static NodeView withState(NodeView v, NodeState s, Optional<java.time.Instant> hb) {
    return new NodeView(v.id(), v.name(), v.workspace(), s, v.labels(), v.capabilities(), v.manifest(),
        v.maxTasks(), v.activeTasks(), v.connectedAt(), hb);
  }
}
