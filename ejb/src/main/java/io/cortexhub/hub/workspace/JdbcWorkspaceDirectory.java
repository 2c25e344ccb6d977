package io.cortexhub.hub.workspace;

import io.cortexhub.hub.persistence.DatabaseException;
import io.cortexhub.hub.persistence.JdbcTransactions;
import io.cortexhub.hub.persistence.TextCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * {@link WorkspaceDirectory} on JDBC (table {@code cortex_workspace}) with every row cached in
 * memory: dispatch asks {@link #grants} for every task, and workspaces change rarely and only
 * through this class. Thread-safe; {@link #save} is serialized so the cache follows the database.
 */
public final class JdbcWorkspaceDirectory implements WorkspaceDirectory {
  private static final Logger LOG = Logger.getLogger(JdbcWorkspaceDirectory.class.getName());

  private final DataSource dataSource;
  private final Clock clock;
  private final Map<WorkspaceId, Workspace> cache = new ConcurrentHashMap<>();
  private final List<Consumer<Workspace>> listeners = new CopyOnWriteArrayList<>();

  public JdbcWorkspaceDirectory(DataSource dataSource, Clock clock) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.clock = Objects.requireNonNull(clock, "clock");
    reload();
  }

  /** Runs {@code listener} after each save (the tunnel re-grants the workspace's nodes). */
  public void onSaved(Consumer<Workspace> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Reads every workspace from the database into the cache. */
  public void reload() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "select name, granted_capabilities from cortex_workspace");
        ResultSet rs = ps.executeQuery()) {
      Map<WorkspaceId, Workspace> fresh = new java.util.HashMap<>();
      while (rs.next()) {
        WorkspaceId id = new WorkspaceId(rs.getString(1));
        fresh.put(id, new Workspace(id,
            new HashSet<>(TextCodec.decodeList(rs.getString(2)))));
      }
      cache.keySet().retainAll(fresh.keySet());
      cache.putAll(fresh);
    } catch (SQLException e) {
      throw new DatabaseException("cannot read workspaces", e);
    }
  }

  @Override
  public List<Workspace> list() {
    return cache.values().stream().sorted(Comparator.comparing(w -> w.id().value())).toList();
  }

  @Override
  public Optional<Workspace> find(WorkspaceId id) {
    return Optional.ofNullable(cache.get(id));
  }

  @Override
  public boolean grants(WorkspaceId workspace, String capability) {
    Workspace w = cache.get(workspace);
    return w != null && w.grants(capability);
  }

  @Override
  public synchronized Workspace save(Workspace w) {
    long now = clock.millis();
    String grants = TextCodec.encodeList(List.copyOf(new TreeSet<>(w.grantedCapabilities())));
    JdbcTransactions.inTransaction(dataSource, "save workspace " + w.id(), c -> {
      try (PreparedStatement up = c.prepareStatement(
          "update cortex_workspace set granted_capabilities = ?, updated_at_ms = ? where name = ?")) {
        up.setString(1, grants);
        up.setLong(2, now);
        up.setString(3, w.id().value());
        if (up.executeUpdate() > 0) {
          return null;
        }
      }
      try (PreparedStatement in = c.prepareStatement("insert into cortex_workspace"
          + " (name, granted_capabilities, created_at_ms, updated_at_ms) values (?,?,?,?)")) {
        in.setString(1, w.id().value());
        in.setString(2, grants);
        in.setLong(3, now);
        in.setLong(4, now);
        in.executeUpdate();
      }
      return null;
    });
    cache.put(w.id(), w);
    LOG.info(() -> "workspace " + w.id() + " grants " + new TreeSet<>(w.grantedCapabilities()));
    for (Consumer<Workspace> l : listeners) {
      l.accept(w);
    }
    return w;
  }
}
