package io.cortexhub.hub.testing;

import io.cortexhub.hub.persistence.SchemaMigrator;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A freshly migrated database for one test: in-memory H2, or, when {@code CORTEX_TEST_PG_URL} is
 * set, a new schema on that PostgreSQL (dropped by {@link #close()}).
 */
public final class TestDatabase implements AutoCloseable {
  public enum Kind { H2, POSTGRESQL }

  private final Kind kind;
  private final DataSource dataSource;
  private final String schema;

  private TestDatabase(Kind kind, DataSource dataSource, String schema) {
    this.kind = kind;
    this.dataSource = dataSource;
    this.schema = schema;
  }

  /** The PostgreSQL URL from the environment, or null when PostgreSQL tests should not run. */
  public static String postgresUrl() {
    String url = System.getenv("CORTEX_TEST_PG_URL");
    return url == null || url.isBlank() ? null : url;
  }

  public static TestDatabase create(Kind kind) {
    String name = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    if (kind == Kind.H2) {
      JdbcDataSource h2 = new JdbcDataSource();
      h2.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
      h2.setUser("sa");
      SchemaMigrator.migrate(h2, null);
      return new TestDatabase(kind, h2, null);
    }
    String base = postgresUrl();
    if (base == null) {
      throw new IllegalStateException("CORTEX_TEST_PG_URL is not set");
    }
    PGSimpleDataSource pg = new PGSimpleDataSource();
    pg.setURL(base + (base.contains("?") ? "&" : "?") + "currentSchema=" + name);
    SchemaMigrator.migrate(pg, name);
    return new TestDatabase(kind, pg, name);
  }

  public Kind kind() {
    return kind;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  @Override
  public void close() throws SQLException {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute(schema == null ? "shutdown" : "drop schema " + schema + " cascade");
    }
  }
}
