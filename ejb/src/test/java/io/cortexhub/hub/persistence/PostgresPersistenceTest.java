package io.cortexhub.hub.persistence;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cortexhub.hub.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;

/**
 * The persistence contract on PostgreSQL, in a fresh schema per test. Runs when
 * {@code CORTEX_TEST_PG_URL} is set (CI sets it), e.g.
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}.
 */
class PostgresPersistenceTest extends PersistenceContract {
  @Override
  TestDatabase.Kind kind() {
    return TestDatabase.Kind.POSTGRESQL;
  }

  @BeforeEach
  @Override
  void open() {
    assumeTrue(TestDatabase.postgresUrl() != null, "CORTEX_TEST_PG_URL not set");
    super.open();
  }
}
