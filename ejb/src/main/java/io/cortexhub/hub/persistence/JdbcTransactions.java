package io.cortexhub.hub.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Runs a unit of JDBC work in one local transaction on a connection of its own: commit on
 * success, rollback on any failure, auto-commit restored before the (pooled) connection goes back.
 * For the small, rare writes of the security tables; the hot path has the journal. Stateless.
 */
public final class JdbcTransactions {
  private JdbcTransactions() {}

  /** Work on a connection; may throw {@link SQLException}. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * Runs {@code work} in a transaction.
   *
   * @param what what is attempted, for the {@link DatabaseException} message
   */
  public static <T> T inTransaction(DataSource dataSource, String what, Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new DatabaseException("cannot " + what, e);
    }
  }

  /** Runs {@code work} on an auto-commit connection (single statements and reads). */
  public static <T> T autoCommit(DataSource dataSource, String what, Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw new DatabaseException("cannot " + what, e);
    }
  }
}
