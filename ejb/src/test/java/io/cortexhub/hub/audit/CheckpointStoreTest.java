package io.cortexhub.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortexhub.hub.registry.NodeId;
import io.cortexhub.hub.testing.TestDatabase;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CheckpointStoreTest {
  static Stream<Arguments> databases() {
    return TestDatabase.postgresUrl() == null
        ? Stream.of(Arguments.of(TestDatabase.Kind.H2))
        : Stream.of(Arguments.of(TestDatabase.Kind.H2), Arguments.of(TestDatabase.Kind.POSTGRESQL));
  }

  private static StoredCheckpoint checkpoint(String node, long size, byte root) {
    return new StoredCheckpoint(new NodeId(node), size, new byte[] {root, 2, 3},
        new byte[] {9, root}, Instant.ofEpochMilli(1_000 * size), new byte[] {7, 7},
        "SHA256withECDSA", Instant.ofEpochMilli(5_000));
  }

  @ParameterizedTest
  @MethodSource("databases")
  void checkpoints_areListedPerNodeByTreeSize(TestDatabase.Kind kind) throws Exception {
    try (TestDatabase db = TestDatabase.create(kind)) {
      CheckpointStore store = new JdbcCheckpointStore(db.dataSource());
      store.save(checkpoint("n-a", 200, (byte) 1));
      store.save(checkpoint("n-a", 100, (byte) 1));
      store.save(checkpoint("n-b", 100, (byte) 5));

      assertThat(store.list(new NodeId("n-a"))).extracting(StoredCheckpoint::treeSize)
          .containsExactly(100L, 200L);
      StoredCheckpoint b = store.list(new NodeId("n-b")).get(0);
      assertThat(b.rootHash()).containsExactly(5, 2, 3);
      assertThat(b.signature()).containsExactly(7, 7);
      assertThat(b.algorithm()).isEqualTo("SHA256withECDSA");
    }
  }

  @ParameterizedTest
  @MethodSource("databases")
  void sameCheckpointTwice_isStoredOnce(TestDatabase.Kind kind) throws Exception {
    try (TestDatabase db = TestDatabase.create(kind)) {
      CheckpointStore store = new JdbcCheckpointStore(db.dataSource());
      store.save(checkpoint("n-a", 100, (byte) 1));
      store.save(checkpoint("n-a", 100, (byte) 1));

      assertThat(store.list(new NodeId("n-a"))).hasSize(1);
    }
  }

  @ParameterizedTest
  @MethodSource("databases")
  void rewrittenLog_cannotReplaceAStoredCheckpoint(TestDatabase.Kind kind) throws Exception {
    try (TestDatabase db = TestDatabase.create(kind)) {
      CheckpointStore store = new JdbcCheckpointStore(db.dataSource());
      store.save(checkpoint("n-a", 100, (byte) 1));

      assertThatThrownBy(() -> store.save(checkpoint("n-a", 100, (byte) 2)))
          .isInstanceOf(CheckpointConflictException.class)
          .hasMessageContaining("rewritten");
      assertThat(store.list(new NodeId("n-a")).get(0).rootHash()).containsExactly(1, 2, 3);
    }
  }
}
