package io.cortexhub.hub.dispatch;

import io.cortexhub.hub.registry.NodeId;
import io.cortexhub.hub.registry.NodeView;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * In-memory routing index: for each capability, the routable nodes that have a free slot, ordered
 * least-loaded first, so picking a node is a walk from the front that usually stops at the first
 * entry (O(log n) updates, no scan of all nodes per task).
 *
 * <p>A node is routable while it is ONLINE and not blocked (it said CAPACITY or DRAINING). Not
 * thread-safe: the {@link Dispatcher} guards it with its own lock.
 */
final class NodeLoadIndex {
  private record Key(int active, String node) implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      int c = Integer.compare(active, o.active);
      return c != 0 ? c : node.compareTo(o.node);
    }
  }

  private final Map<NodeId, NodeView> routable = new HashMap<>();
  private final Map<NodeId, Integer> active = new HashMap<>();
  /** Keyed by workspace and capability ({@link #slot}): a task only goes to its own workspace. */
  private final Map<String, TreeSet<Key>> freeByCapability = new HashMap<>();

  private static String slot(String workspace, String capability) {
    return workspace + '\u0000' + capability;
  }

  /** The node is ONLINE and may receive tasks (replaces an earlier entry). */
  void add(NodeView node) {
    remove(node.id());
    routable.put(node.id(), node);
    index(node);
  }

  void remove(NodeId node) {
    NodeView v = routable.remove(node);
    if (v != null) {
      unindex(v);
    }
  }

  boolean isRoutable(NodeId node) {
    return routable.containsKey(node);
  }

  int active(NodeId node) {
    return active.getOrDefault(node, 0);
  }

  /** One more (delta 1) or one fewer (delta -1) task is on the node. */
  void adjust(NodeId node, int delta) {
    NodeView v = routable.get(node);
    if (v != null) {
      unindex(v);
    }
    int n = Math.max(0, active(node) + delta);
    if (n == 0) {
      active.remove(node);
    } else {
      active.put(node, n);
    }
    if (v != null) {
      index(v);
    }
  }

  /**
   * The least-loaded routable node of the workspace with the capability, a free slot and all
   * selector labels.
   */
  Optional<NodeView> pick(String workspace, String capability, Optional<NodeId> target,
      Map<String, String> selector) {
    if (target.isPresent()) {
      NodeView v = routable.get(target.get());
      return v != null && v.workspace().equals(workspace) && v.capabilities().contains(capability)
          && free(v) > 0 ? Optional.of(v) : Optional.empty();
    }
    TreeSet<Key> keys = freeByCapability.get(slot(workspace, capability));
    if (keys == null) {
      return Optional.empty();
    }
    for (Key k : keys) {
      NodeView v = routable.get(new NodeId(k.node()));
      if (v.labels().entrySet().containsAll(selector.entrySet())) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }

  private int free(NodeView v) {
    return v.maxTasks() - active(v.id());
  }

  private void index(NodeView v) {
    if (free(v) <= 0) {
      return;
    }
    Key k = new Key(active(v.id()), v.id().value());
    for (String cap : v.capabilities()) {
      freeByCapability.computeIfAbsent(slot(v.workspace(), cap), c -> new TreeSet<>()).add(k);
    }
  }

  private void unindex(NodeView v) {
    Key k = new Key(active(v.id()), v.id().value());
    for (String cap : v.capabilities()) {
      TreeSet<Key> keys = freeByCapability.get(slot(v.workspace(), cap));
      if (keys != null) {
        keys.remove(k);
      }
    }
  }
}
