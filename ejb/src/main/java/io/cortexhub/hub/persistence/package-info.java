/**
 * The database: the datasource definition (H2 by default, PostgreSQL by {@code CORTEX_DB_URL}),
 * versioned Flyway migrations run before anything else touches the schema, and small JDBC helpers
 * shared by the stores.
 */
package io.cortexhub.hub.persistence;
