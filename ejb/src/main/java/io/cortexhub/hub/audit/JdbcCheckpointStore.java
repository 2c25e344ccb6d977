package io.cortexhub.hub.audit;

import io.cortexhub.hub.persistence.DatabaseException;
import io.cortexhub.hub.registry.NodeId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/** {@link CheckpointStore} on plain JDBC, portable between H2 and PostgreSQL. Stateless. */
public final class JdbcCheckpointStore implements CheckpointStore {
  private static final String COLUMNS = "node_id, tree_size, root_hash, last_record_hash,"
      + " created_at_ms, signature, algorithm, received_at_ms";

  private final DataSource dataSource;

  public JdbcCheckpointStore(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  @Override
  public void save(StoredCheckpoint cp) {
    try (Connection c = dataSource.getConnection()) {
      Optional<StoredCheckpoint> existing = find(c, cp.node(), cp.treeSize());
      if (existing.isPresent()) {
        if (!Arrays.equals(existing.get().rootHash(), cp.rootHash())
            || !Arrays.equals(existing.get().lastRecordHash(), cp.lastRecordHash())) {
          throw new CheckpointConflictException("node " + cp.node() + " sent a checkpoint for tree"
              + " size " + cp.treeSize() + " whose root differs from the one stored at "
              + existing.get().receivedAt() + ": its audit log was rewritten");
        }
        return;
      }
      try (PreparedStatement ps = c.prepareStatement(
          "insert into cortex_audit_checkpoint (" + COLUMNS + ") values (?,?,?,?,?,?,?,?)")) {
        ps.setString(1, cp.node().value());
        ps.setLong(2, cp.treeSize());
        ps.setBytes(3, cp.rootHash());
        ps.setBytes(4, cp.lastRecordHash());
        ps.setLong(5, cp.createdAt().toEpochMilli());
        ps.setBytes(6, cp.signature());
        ps.setString(7, cp.algorithm());
        ps.setLong(8, cp.receivedAt().toEpochMilli());
        ps.executeUpdate();
      }
    } catch (SQLException e) {
      throw new DatabaseException("cannot store audit checkpoint " + cp.treeSize() + " of node "
          + cp.node(), e);
    }
  }

  @Override
  public List<StoredCheckpoint> list(NodeId node) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("select " + COLUMNS
            + " from cortex_audit_checkpoint where node_id = ? order by tree_size")) {
      ps.setString(1, node.value());
      try (ResultSet rs = ps.executeQuery()) {
        List<StoredCheckpoint> out = new ArrayList<>();
        while (rs.next()) {
          out.add(row(rs));
        }
        return out;
      }
    } catch (SQLException e) {
      throw new DatabaseException("cannot read audit checkpoints of node " + node, e);
    }
  }

  private static Optional<StoredCheckpoint> find(Connection c, NodeId node, long treeSize)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS
        + " from cortex_audit_checkpoint where node_id = ? and tree_size = ?")) {
      ps.setString(1, node.value());
      ps.setLong(2, treeSize);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(row(rs)) : Optional.empty();
      }
    }
  }

  private static StoredCheckpoint row(ResultSet rs) throws SQLException {
    return new StoredCheckpoint(new NodeId(rs.getString(1)), rs.getLong(2), rs.getBytes(3),
        rs.getBytes(4), Instant.ofEpochMilli(rs.getLong(5)), rs.getBytes(6), rs.getString(7),
        Instant.ofEpochMilli(rs.getLong(8)));
  }
}
