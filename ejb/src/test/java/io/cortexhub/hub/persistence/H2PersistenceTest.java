package io.cortexhub.hub.persistence;

import io.cortexhub.hub.testing.TestDatabase;

/** The persistence contract on embedded H2 (the hub's default database). */
class H2PersistenceTest extends PersistenceContract {
  @Override
  TestDatabase.Kind kind() {
    return TestDatabase.Kind.H2;
  }
}
