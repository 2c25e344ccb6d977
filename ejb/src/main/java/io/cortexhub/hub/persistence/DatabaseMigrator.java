package io.cortexhub.hub.persistence;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import javax.sql.DataSource;

/**
 * Defines the hub's datasource and migrates its schema at deployment, before any other bean (they
 * {@code @DependsOn} this one) or JPA touches it. {@code CORTEX_DB_URL}, {@code CORTEX_DB_USER}
 * and {@code CORTEX_DB_PASSWORD} select the database; without them the hub uses embedded H2.
 */
@DataSourceDefinition(
    name = DatabaseMigrator.DATASOURCE,
    className = "io.cortexhub.hub.persistence.CortexDataSource",
    url = "${ENV=CORTEX_DB_URL:default}",
    user = "${ENV=CORTEX_DB_USER:sa}",
    password = "${ENV=CORTEX_DB_PASSWORD:}",
    minPoolSize = 2,
    maxPoolSize = 32,
    transactional = true)
@Singleton
@Startup
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class DatabaseMigrator {
  public static final String DATASOURCE = "java:app/jdbc/cortex";

  @Resource(lookup = DATASOURCE)
  private DataSource dataSource;

  private String version = "";

  @PostConstruct
  void migrate() {
    version = SchemaMigrator.migrate(dataSource, null);
  }

  public String schemaVersion() {
    return version;
  }
}
