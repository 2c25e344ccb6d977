package io.cortexhub.hub.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings a database to the newest schema with Flyway ({@code classpath:db/migration}).
 *
 * <p>The migrations are portable SQL; the one type that differs between H2 and PostgreSQL (raw
 * bytes) is a {@code ${bytes}} placeholder filled here from the database product name. Used by
 * the startup bean and by tests. Stateless and thread-safe.
 */
public final class SchemaMigrator {
  private static final Logger LOG = Logger.getLogger(SchemaMigrator.class.getName());

  private SchemaMigrator() {}

  /** Migrates {@code dataSource} (optionally inside {@code schema}) and returns the new version. */
  public static String migrate(DataSource dataSource, String schema) {
    String product = productName(dataSource);
    var config = Flyway.configure(SchemaMigrator.class.getClassLoader())
        .dataSource(dataSource)
        .locations("classpath:db/migration")
        .placeholders(Map.of("bytes", bytesType(product)))
        .failOnMissingLocations(true);
    if (schema != null && !schema.isBlank()) {
      config = config.schemas(schema).createSchemas(true);
    }
    MigrateResult result = config.load().migrate();
    String version = result.targetSchemaVersion == null
        ? String.valueOf(result.initialSchemaVersion) : result.targetSchemaVersion;
    LOG.info(() -> "Database schema at version " + version + " on " + product + " ("
        + result.migrationsExecuted + " migrations applied now)");
    return version;
  }

  static String bytesType(String product) {
    return product.toLowerCase(Locale.ROOT).contains("postgres") ? "bytea" : "varbinary(16777216)";
  }

  private static String productName(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      return c.getMetaData().getDatabaseProductName();
    } catch (SQLException e) {
      throw new DatabaseException("cannot reach the database to migrate it", e);
    }
  }
}
