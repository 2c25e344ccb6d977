package io.cortexhub.hub.enrollment;

import io.cortexhub.hub.persistence.JdbcTransactions;
import io.cortexhub.hub.registry.NodeId;
import io.cortexhub.hub.registry.UnknownNodeException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * {@link NodeRevocation} on JDBC (table {@code cortex_node_revocation}) with the revoked ids held
 * in memory, because {@link #isRevoked} is asked on every handshake and RPC. After the row is
 * stored, the listeners run (the hub closes the node's live stream there). Thread-safe.
 */
public final class JdbcNodeRevocations implements NodeRevocation {
  private static final Logger LOG = Logger.getLogger(JdbcNodeRevocations.class.getName());

  private final DataSource dataSource;
  private final Clock clock;
  private final Predicate<NodeId> knownNode;
  private final Set<NodeId> revoked = ConcurrentHashMap.newKeySet();
  private final List<Consumer<NodeId>> listeners = new CopyOnWriteArrayList<>();

  /**
   * @param knownNode whether the hub knows a node (enrolled or registered)
   */
  public JdbcNodeRevocations(DataSource dataSource, Clock clock, Predicate<NodeId> knownNode) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.knownNode = Objects.requireNonNull(knownNode, "knownNode");
    JdbcTransactions.autoCommit(dataSource, "read node revocations", c -> {
      try (PreparedStatement ps = c.prepareStatement("select node_id from cortex_node_revocation");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          revoked.add(new NodeId(rs.getString(1)));
        }
      }
      return null;
    });
  }

  /** Runs {@code listener} with the node id after every new revocation is stored. */
  public void onRevoked(Consumer<NodeId> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  public boolean isRevoked(NodeId node) {
    return revoked.contains(node);
  }

  @Override
  public void revoke(NodeId node, String by, String reason) {
    Objects.requireNonNull(node, "node");
    String who = by == null || by.isBlank() ? "unknown" : clip(by, 256);
    String why = reason == null || reason.isBlank() ? "no reason given" : clip(reason, 1000);
    if (revoked.contains(node)) {
      return;
    }
    if (!knownNode.test(node)) {
      throw new UnknownNodeException(node);
    }
    boolean inserted = JdbcTransactions.inTransaction(dataSource, "revoke node " + node, c -> {
      try (PreparedStatement q = c.prepareStatement(
          "select 1 from cortex_node_revocation where node_id = ?")) {
        q.setString(1, node.value());
        try (ResultSet rs = q.executeQuery()) {
          if (rs.next()) {
            return false;
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement("insert into cortex_node_revocation"
          + " (node_id, revoked_at_ms, revoked_by, reason) values (?,?,?,?)")) {
        ps.setString(1, node.value());
        ps.setLong(2, clock.millis());
        ps.setString(3, who);
        ps.setString(4, why);
        ps.executeUpdate();
      }
      return true;
    });
    revoked.add(node);
    if (inserted) {
      LOG.warning(() -> "node=" + node + " revoked by " + who + ": " + why);
      for (Consumer<NodeId> l : listeners) {
        l.accept(node);
      }
    }
  }

  private static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }
}
