package io.cortexhub.hub.dispatch;

import io.cortexhub.hub.persistence.DatabaseException;
import io.cortexhub.hub.persistence.TextCodec;
import io.cortexhub.hub.registry.NodeId;
import io.cortexhub.hub.workspace.WorkspaceScope;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * {@link TaskStore} on plain JDBC. Chosen over JPA for tasks because the hot path (thousands of
 * transitions a second) wants JDBC batches inside the journal's transaction and no persistence
 * context to flush or clear. Portable SQL for H2 and PostgreSQL. Thread-safe (stateless).
 */
public final class JdbcTaskStore implements TaskStore {
  private static final String COLUMNS = "id, kind, workspace, state, node_id, target_node_id, selector,"
      + " echo_message, argv, env, working_dir, timeout_ms, kill_grace_ms, idempotency_key,"
      + " requested_by, traceparent, exit_code, detail, output_seq, final_seq, created_at_ms,"
      + " dispatched_at_ms, started_at_ms, finished_at_ms, fs_op";
  private static final String UNFINISHED = "('QUEUED','DISPATCHED','AWAITING_CONSENT','RUNNING')";

  private final DataSource dataSource;

  public JdbcTaskStore(DataSource dataSource) {
    this.dataSource = java.util.Objects.requireNonNull(dataSource, "dataSource");
  }

  private static final String INSERT = "insert into cortex_task (" + COLUMNS + ") values"
      + " (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

  @Override
  public void insert(TaskRecord t) {
    try (Connection c = dataSource.getConnection()) {
      insert(c, t);
    } catch (SQLException e) {
      throw new DatabaseException("cannot insert task " + t.id(), e);
    }
  }

  @Override
  public void insert(Connection c, TaskRecord t) {
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      bindInsert(ps, t);
      ps.executeUpdate();
    } catch (SQLException e) {
      if (DatabaseException.isUniqueViolation(e) && t.idempotencyKey().isPresent()) {
        throw new DuplicateTaskException(t.idempotencyKey().get(), e);
      }
      throw new DatabaseException("cannot insert task " + t.id(), e);
    }
  }

  @Override
  public void insertAll(Connection c, List<TaskRecord> tasks) {
    if (tasks.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      for (TaskRecord t : tasks) {
        bindInsert(ps, t);
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (SQLException e) {
      if (isUniqueViolation(e)) {
        throw new DuplicateTaskException("(one of a batch of " + tasks.size() + ")", e);
      }
      throw new DatabaseException("cannot insert " + tasks.size() + " tasks", e);
    }
  }

  /** Drivers report a failed batch row as the next exception of a BatchUpdateException. */
  private static boolean isUniqueViolation(SQLException e) {
    for (SQLException s = e; s != null; s = s.getNextException()) {
      if (DatabaseException.isUniqueViolation(s)) {
        return true;
      }
    }
    return false;
  }

  private static void bindInsert(PreparedStatement ps, TaskRecord t) throws SQLException {
    int i = 1;
    ps.setString(i++, t.id().value());
    ps.setString(i++, t.kind().name());
    ps.setString(i++, t.workspace());
    ps.setString(i++, t.state().name());
    ps.setString(i++, t.node().map(NodeId::value).orElse(null));
    ps.setString(i++, t.targetNode().map(NodeId::value).orElse(null));
    ps.setString(i++, TextCodec.encodeMap(t.selector()));
    ps.setString(i++, t.echoMessage());
    ps.setString(i++, TextCodec.encodeList(t.argv()));
    ps.setString(i++, TextCodec.encodeMap(t.env()));
    ps.setString(i++, t.workingDir());
    ps.setLong(i++, t.timeout().toMillis());
    ps.setLong(i++, t.killGrace().toMillis());
    ps.setString(i++, t.idempotencyKey().orElse(null));
    ps.setString(i++, t.requestedBy());
    ps.setString(i++, t.traceparent());
    setInt(ps, i++, t.exitCode());
    ps.setString(i++, t.detail());
    ps.setLong(i++, t.outputSeq());
    setLong(ps, i++, t.finalSeq());
    ps.setLong(i++, t.createdAt().toEpochMilli());
    setInstant(ps, i++, t.dispatchedAt());
    setInstant(ps, i++, t.startedAt());
    setInstant(ps, i++, t.finishedAt());
    if (t.fs().isPresent()) {
      ps.setBytes(i++, t.fs().get().toBytes());
    } else {
      ps.setNull(i++, Types.VARBINARY);
    }
  }

  @Override
  public Optional<TaskRecord> find(TaskId id) {
    List<TaskRecord> r = query("select " + COLUMNS + " from cortex_task where id = ?",
        ps -> ps.setString(1, id.value()));
    return r.stream().findFirst();
  }

  @Override
  public Optional<TaskRecord> findByIdempotencyKey(String key) {
    List<TaskRecord> r = query("select " + COLUMNS + " from cortex_task where idempotency_key = ?",
        ps -> ps.setString(1, key));
    return r.stream().findFirst();
  }

  @Override
  public List<TaskRecord> recent(int limit, WorkspaceScope scope) {
    if (scope.isAll()) {
      return query("select " + COLUMNS + " from cortex_task order by created_at_ms desc, id"
          + " fetch first " + Math.max(0, limit) + " rows only", ps -> { });
    }
    List<String> names = List.copyOf(scope.workspaces());
    if (names.isEmpty()) {
      return List.of();
    }
    String marks = String.join(",", java.util.Collections.nCopies(names.size(), "?"));
    return query("select " + COLUMNS + " from cortex_task where workspace in (" + marks + ")"
        + " order by created_at_ms desc, id fetch first " + Math.max(0, limit) + " rows only",
        ps -> {
          for (int i = 0; i < names.size(); i++) {
            ps.setString(i + 1, names.get(i));
          }
        });
  }

  @Override
  public List<TaskRecord> unfinished() {
    return query("select " + COLUMNS + " from cortex_task where state in " + UNFINISHED
        + " order by created_at_ms, id", ps -> { });
  }

  @Override
  public void apply(Connection c, Collection<TaskUpdate> updates) {
    if (updates.isEmpty()) {
      return;
    }
    String sql = "update cortex_task set state = ?, node_id = ?,"
        + " dispatched_at_ms = coalesce(?, dispatched_at_ms),"
        + " started_at_ms = coalesce(?, started_at_ms),"
        + " finished_at_ms = coalesce(?, finished_at_ms),"
        + " exit_code = coalesce(?, exit_code), detail = coalesce(?, detail),"
        + " final_seq = coalesce(?, final_seq)"
        + " where id = ? and state in " + UNFINISHED;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (TaskUpdate u : updates) {
        int i = 1;
        ps.setString(i++, u.state().name());
        ps.setString(i++, u.node().map(NodeId::value).orElse(null));
        setInstant(ps, i++, u.dispatchedAt());
        setInstant(ps, i++, u.startedAt());
        setInstant(ps, i++, u.finishedAt());
        setInt(ps, i++, u.exitCode());
        ps.setString(i++, u.detail().map(JdbcTaskStore::clip).orElse(null));
        setLong(ps, i++, u.finalSeq());
        ps.setString(i, u.task().value());
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (SQLException e) {
      throw new DatabaseException("cannot apply " + updates.size() + " task updates", e);
    }
  }

  @Override
  public void raiseOutputSeq(Connection c, Map<TaskId, Long> seqs) {
    if (seqs.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(
        "update cortex_task set output_seq = ? where id = ? and output_seq < ?")) {
      for (var e : seqs.entrySet()) {
        ps.setLong(1, e.getValue());
        ps.setString(2, e.getKey().value());
        ps.setLong(3, e.getValue());
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (SQLException e) {
      throw new DatabaseException("cannot update output seq of " + seqs.size() + " tasks", e);
    }
  }

  private static String clip(String s) {
    return s.length() <= 4000 ? s : s.substring(0, 3997) + "...";
  }

  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  private List<TaskRecord> query(String sql, Binder binder) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        List<TaskRecord> out = new ArrayList<>();
        while (rs.next()) {
          out.add(read(rs));
        }
        return out;
      }
    } catch (SQLException e) {
      throw new DatabaseException("task query failed: " + sql, e);
    }
  }

  private static TaskRecord read(ResultSet rs) throws SQLException {
    return new TaskRecord(
        new TaskId(rs.getString("id")),
        TaskKind.valueOf(rs.getString("kind")),
        rs.getString("workspace"),
        TaskState.valueOf(rs.getString("state")),
        Optional.ofNullable(rs.getString("node_id")).map(NodeId::new),
        Optional.ofNullable(rs.getString("target_node_id")).map(NodeId::new),
        TextCodec.decodeMap(rs.getString("selector")),
        rs.getString("echo_message"),
        TextCodec.decodeList(rs.getString("argv")),
        TextCodec.decodeMap(rs.getString("env")),
        rs.getString("working_dir"),
        Optional.ofNullable(rs.getBytes("fs_op")).map(FsOperation::parse),
        Duration.ofMillis(rs.getLong("timeout_ms")),
        Duration.ofMillis(rs.getLong("kill_grace_ms")),
        Optional.ofNullable(rs.getString("idempotency_key")),
        rs.getString("requested_by"),
        rs.getString("traceparent"),
        optInt(rs, "exit_code"),
        rs.getString("detail"),
        rs.getLong("output_seq"),
        optLong(rs, "final_seq"),
        Instant.ofEpochMilli(rs.getLong("created_at_ms")),
        optLong(rs, "dispatched_at_ms").map(Instant::ofEpochMilli),
        optLong(rs, "started_at_ms").map(Instant::ofEpochMilli),
        optLong(rs, "finished_at_ms").map(Instant::ofEpochMilli));
  }

  private static Optional<Integer> optInt(ResultSet rs, String col) throws SQLException {
    int v = rs.getInt(col);
    return rs.wasNull() ? Optional.empty() : Optional.of(v);
  }

  private static Optional<Long> optLong(ResultSet rs, String col) throws SQLException {
    long v = rs.getLong(col);
    return rs.wasNull() ? Optional.empty() : Optional.of(v);
  }

  private static void setInt(PreparedStatement ps, int i, Optional<Integer> v) throws SQLException {
    if (v.isPresent()) {
      ps.setInt(i, v.get());
    } else {
      ps.setNull(i, Types.INTEGER);
    }
  }

  private static void setLong(PreparedStatement ps, int i, Optional<Long> v) throws SQLException {
    if (v.isPresent()) {
      ps.setLong(i, v.get());
    } else {
      ps.setNull(i, Types.BIGINT);
    }
  }

  private static void setInstant(PreparedStatement ps, int i, Optional<Instant> v)
      throws SQLException {
    setLong(ps, i, v.map(Instant::toEpochMilli));
  }
}
