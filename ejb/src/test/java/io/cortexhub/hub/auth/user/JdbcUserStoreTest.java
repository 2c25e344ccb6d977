package io.cortexhub.hub.auth.user;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortexhub.hub.auth.Role;
import io.cortexhub.hub.auth.User;
import io.cortexhub.hub.testing.TestDatabase;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The V3 user table through {@link JdbcUserStore}, on H2 and (with CORTEX_TEST_PG_URL) PostgreSQL. */
class JdbcUserStoreTest {

  private TestDatabase db;

  @AfterEach
  void close() throws Exception {
    if (db != null) {
      db.close();
    }
  }

  private JdbcUserStore store(TestDatabase.Kind kind) {
    if (kind == TestDatabase.Kind.POSTGRESQL) {
      Assumptions.assumeTrue(TestDatabase.postgresUrl() != null, "CORTEX_TEST_PG_URL not set");
    }
    db = TestDatabase.create(kind);
    return new JdbcUserStore(db.dataSource());
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.Kind.class)
  void insertFindListDelete_roundTrip(TestDatabase.Kind kind) {
    JdbcUserStore store = store(kind);
    User alice = new User("alice", Set.of(Role.OPERATOR, Role.VIEWER), Set.of("team-a", "team-b"),
        Instant.ofEpochMilli(1_700_000_000_123L), "admin");

    assertThat(store.isEmpty()).isTrue();
    assertThat(store.insert(new StoredUser(alice, "pbkdf2-sha256$1000$s$h"))).isTrue();
    assertThat(store.insert(new StoredUser(alice, "other"))).isFalse();
    store.insert(new StoredUser(new User("admin", Set.of(Role.ADMIN), Set.of("*"),
        Instant.ofEpochMilli(1), "bootstrap"), "h"));

    assertThat(store.find("alice")).hasValueSatisfying(s -> {
      assertThat(s.user()).isEqualTo(alice);
      assertThat(s.passwordHash()).isEqualTo("pbkdf2-sha256$1000$s$h");
    });
    assertThat(store.list()).extracting(User::username).containsExactly("admin", "alice");
    assertThat(store.isEmpty()).isFalse();
    assertThat(store.delete("alice")).isTrue();
    assertThat(store.delete("alice")).isFalse();
    assertThat(store.find("alice")).isEmpty();
  }
}
