package io.cortexhub.hub.registry;

import io.cortexhub.hub.connector.inbound.NodeHello;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ToIntFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The registry: the live {@link NodeSessionTable} in front of the durable {@link NodeStore}.
 * Every transition the table makes is persisted and logged; reads are served from memory with the
 * active-task count of dispatch laid over them. Thread-safe.
 */
public final class NodeRegistry implements NodeDirectory {
  private static final Logger LOG = Logger.getLogger(NodeRegistry.class.getName());

  private final Clock clock;
  private final NodeStore store;
  private final NodeSessionTable table;
  private volatile ToIntFunction<NodeId> activeTasks = n -> 0;

  public NodeRegistry(Clock clock, NodeStore store, NodeSessionTable table) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.store = Objects.requireNonNull(store, "store");
    this.table = Objects.requireNonNull(table, "table");
  }

  /** Loads stored nodes (all OFFLINE after a boot) into the live table. */
  public void load() {
    List<NodeView> stored = store.all();
    table.load(stored, clock.instant());
    for (NodeView v : stored) {
      if (v.state() != NodeState.OFFLINE) {
        store.updateState(v.id(), NodeState.OFFLINE, clock.instant(), Optional.empty());
      }
    }
  }

  /** Where active-task counts come from (dispatch), for the views. */
  public void countActiveWith(ToIntFunction<NodeId> counter) {
    this.activeTasks = Objects.requireNonNull(counter, "counter");
  }

  /** Records a Hello and returns the node as stored (CONNECTING). */
  public NodeView register(NodeHello hello) {
    NodeView v = store.register(hello, clock.instant());
    // FINE: a fleet of 10,000 connecting at once would otherwise log 10,000 lines here alone.
    LOG.fine(() -> "node=" + v.id() + " name=" + v.name() + " connecting: agent "
        + v.manifest().agentVersion() + ", " + v.maxTasks() + " slots, capabilities "
        + v.capabilities() + ", labels " + v.labels());
    return v;
  }

  public List<NodeTransition> opened(NodeView node, String sessionId) {
    return persist(table.open(node, sessionId, clock.instant()));
  }

  public Optional<NodeTransition> heartbeat(NodeId node) {
    return table.heartbeat(node, clock.instant()).map(t -> persist(List.of(t)).get(0));
  }

  public Optional<NodeTransition> closed(NodeId node, String sessionId, String reason) {
    return table.closed(node, sessionId, clock.instant(), reason)
        .map(t -> persist(List.of(t)).get(0));
  }

  /** Applies heartbeat deadlines now. */
  public List<NodeTransition> sweep() {
    return persist(table.sweep(clock.instant()));
  }

  public boolean isKnown(NodeId node) {
    return table.contains(node);
  }

  public Optional<String> sessionOf(NodeId node) {
    return table.sessionOf(node);
  }

  @Override
  public List<NodeView> list() {
    return table.all().stream().map(this::withActive).toList();
  }

  @Override
  public Optional<NodeView> find(NodeId id) {
    return table.find(id).map(this::withActive);
  }

  private NodeView withActive(NodeView v) {
    return new NodeView(v.id(), v.name(), v.workspace(), v.state(), v.labels(), v.capabilities(), v.manifest(),
        v.maxTasks(), activeTasks.applyAsInt(v.id()), v.connectedAt(), v.lastHeartbeatAt());
  }

  private List<NodeTransition> persist(List<NodeTransition> transitions) {
    for (NodeTransition t : transitions) {
      // Connects are routine (FINE); losing a node or getting it back is what operators look for.
      Level level = t.to() == NodeState.CONNECTING || t.from() == NodeState.CONNECTING
          ? Level.FINE : Level.INFO;
      LOG.log(level, () -> "node=" + t.node() + " " + t.from() + " -> " + t.to() + ": "
          + t.reason());
      Optional<java.time.Instant> hb = t.to() == NodeState.ONLINE
          ? Optional.of(t.at()) : Optional.empty();
      store.updateState(t.node(), t.to(), t.at(), hb);
    }
    return transitions;
  }
}
