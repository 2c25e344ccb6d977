package io.cortexhub.hub.output;

import io.cortexhub.hub.connector.inbound.OutputChunkEvent;
import io.cortexhub.hub.dispatch.TaskId;
import io.cortexhub.hub.persistence.DatabaseException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/** {@link OutputStore} on plain JDBC batches; portable between H2 and PostgreSQL. Stateless. */
public final class JdbcOutputStore implements OutputStore {
  private final DataSource dataSource;

  public JdbcOutputStore(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  @Override
  public void insert(Connection c, List<OutputChunkEvent> chunks) {
    if (chunks.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement("insert into cortex_task_output (task_id, seq,"
        + " stream, data, produced_at_ms, frame_id, frame_index, frame_last, codec)"
        + " values (?,?,?,?,?,?,?,?,?)")) {
      for (OutputChunkEvent ch : chunks) {
        ps.setString(1, ch.taskId());
        ps.setLong(2, ch.seq());
        ps.setString(3, ch.stream().name());
        ps.setBytes(4, ch.data());
        ps.setLong(5, ch.producedAtUnixMs());
        boolean binary = ch.stream() == OutputStreamKind.BINARY;
        if (binary) {
          ps.setString(6, ch.frameId());
          ps.setInt(7, ch.index());
          ps.setBoolean(8, ch.last());
          ps.setString(9, ch.codec());
        } else {
          ps.setNull(6, Types.VARCHAR);
          ps.setNull(7, Types.INTEGER);
          ps.setNull(8, Types.BOOLEAN);
          ps.setNull(9, Types.VARCHAR);
        }
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (SQLException e) {
      throw new DatabaseException("cannot store " + chunks.size() + " output chunks", e);
    }
  }

  @Override
  public List<OutputRecord> read(TaskId task, long afterSeq, int limit) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("select seq, stream, data, produced_at_ms"
            + " from cortex_task_output where task_id = ? and seq > ? order by seq"
            + " fetch first " + Math.max(0, limit) + " rows only")) {
      ps.setString(1, task.value());
      ps.setLong(2, afterSeq);
      try (ResultSet rs = ps.executeQuery()) {
        List<OutputRecord> out = new ArrayList<>();
        while (rs.next()) {
          out.add(new OutputRecord(task, rs.getLong(1), OutputStreamKind.valueOf(rs.getString(2)),
              rs.getBytes(3), Instant.ofEpochMilli(rs.getLong(4))));
        }
        return out;
      }
    } catch (SQLException e) {
      throw new DatabaseException("cannot read output of task " + task, e);
    }
  }

  @Override
  public List<Long> storedSeqs(TaskId task, long afterSeq) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "select seq from cortex_task_output where task_id = ? and seq > ? order by seq")) {
      ps.setString(1, task.value());
      ps.setLong(2, afterSeq);
      try (ResultSet rs = ps.executeQuery()) {
        List<Long> out = new ArrayList<>();
        while (rs.next()) {
          out.add(rs.getLong(1));
        }
        return out;
      }
    } catch (SQLException e) {
      throw new DatabaseException("cannot read output seqs of task " + task, e);
    }
  }
}
