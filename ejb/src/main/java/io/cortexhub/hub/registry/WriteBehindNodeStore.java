package io.cortexhub.hub.registry;

import io.cortexhub.hub.connector.inbound.NodeHello;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A {@link NodeStore} that writes state changes behind: {@link #updateState} only records the
 * newest change per node, and {@link #flush} stores everything recorded so far in one batch
 * ({@link NodeStore#updateStates}, one transaction in the hub).
 *
 * <p>Why: node state in the database is history (the live truth is the in-memory session table,
 * and every node is OFFLINE after a boot anyway), but a synchronous transaction per transition on
 * the tunnel's threads made 10,000 connecting nodes wait on the database and miss heartbeats, and
 * concurrent updates of one node failed with optimistic-lock errors. Coalescing also turns the
 * CONNECTING and ONLINE of one connect into a single write. The registry's sweep flushes, so the
 * database lags the live table by at most one sweep period.
 *
 * <p>{@link #register} (it must answer the node's id) and the reads pass through; reads flush
 * first so they see every change recorded before them. Thread-safe: recording takes a short
 * lock; flushes are serialised among themselves and never hold the recording lock while writing.
 */
public final class WriteBehindNodeStore implements NodeStore {
  private static final Logger LOG = Logger.getLogger(WriteBehindNodeStore.class.getName());

  private final NodeStore delegate;
  private final Map<NodeId, StateChange> pending = new LinkedHashMap<>();
  private final Object flushLock = new Object();

  public WriteBehindNodeStore(NodeStore delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public NodeView register(NodeHello hello, Instant now) {
    return delegate.register(hello, now);
  }

  /** Records the change; the newest change of a node wins, keeping an earlier heartbeat time. */
  @Override
  public void updateState(NodeId node, NodeState state, Instant at, Optional<Instant> lastHeartbeat) {
    StateChange change = new StateChange(node, state, at, lastHeartbeat);
    synchronized (pending) {
      StateChange before = pending.remove(node);
      if (before != null && lastHeartbeat.isEmpty()) {
        change = new StateChange(node, state, at, before.lastHeartbeat());
      }
      // Re-inserted at the end: entries stay in the order of their newest change.
      pending.put(node, change);
    }
  }

  /** Changes recorded and not yet stored. */
  public int backlog() {
    synchronized (pending) {
      return pending.size();
    }
  }

  /**
   * Stores every change recorded so far and returns how many. A batch the database refuses is
   * retried change by change; a change that still fails (its node was deleted) is logged and
   * dropped, so one bad row never blocks the rest.
   */
  public int flush() {
    synchronized (flushLock) {
      List<StateChange> batch;
      synchronized (pending) {
        if (pending.isEmpty()) {
          return 0;
        }
        batch = new ArrayList<>(pending.values());
        pending.clear();
      }
      try {
        delegate.updateStates(batch);
      } catch (RuntimeException batchFailure) {
        LOG.log(Level.WARNING, "storing " + batch.size()
            + " node state changes at once failed; storing them one by one", batchFailure);
        for (StateChange c : batch) {
          try {
            delegate.updateState(c.node(), c.state(), c.at(), c.lastHeartbeat());
          } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "node=" + c.node() + ": state " + c.state()
                + " not stored", e);
          }
        }
      }
      return batch.size();
    }
  }

  @Override
  public List<NodeView> all() {
    flush();
    return delegate.all();
  }

  @Override
  public Optional<NodeView> find(NodeId node) {
    flush();
    return delegate.find(node);
  }
}
