package io.cortexhub.hub.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortexhub.hub.connector.inbound.NodeHello;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WriteBehindNodeStoreTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final NodeId A = new NodeId("a");
  private static final NodeId B = new NodeId("b");

  /** Records what reaches the database; refuses batches or nodes when told to. */
  private static final class RecordingStore implements NodeStore {
    final List<List<StateChange>> batches = new ArrayList<>();
    final List<StateChange> singles = new ArrayList<>();
    boolean refuseBatches;
    Set<NodeId> unknown = Set.of();

    @Override
    public NodeView register(NodeHello hello, Instant now) {
      throw new UnsupportedOperationException("not used here");
    }

    @Override
    public void updateState(NodeId node, NodeState state, Instant at, Optional<Instant> hb) {
      if (unknown.contains(node)) {
        throw new UnknownNodeException(node);
      }
      singles.add(new StateChange(node, state, at, hb));
    }

    @Override
    public void updateStates(List<StateChange> changes) {
      if (refuseBatches) {
        throw new IllegalStateException("batch refused");
      }
      batches.add(List.copyOf(changes));
    }

    @Override
    public List<NodeView> all() {
      return List.of();
    }

    @Override
    public Optional<NodeView> find(NodeId node) {
      return Optional.empty();
    }
  }

  private final RecordingStore db = new RecordingStore();
  private final WriteBehindNodeStore store = new WriteBehindNodeStore(db);

  @Test
  void changes_reachTheDatabaseOnlyAtFlush_newestPerNode_inOneBatch() {
    store.updateState(A, NodeState.CONNECTING, T0, Optional.empty());
    store.updateState(B, NodeState.OFFLINE, T0, Optional.empty());
    store.updateState(A, NodeState.ONLINE, T0.plusMillis(5), Optional.of(T0.plusMillis(5)));
    assertThat(db.batches).isEmpty();
    assertThat(store.backlog()).isEqualTo(2);

    assertThat(store.flush()).isEqualTo(2);

    assertThat(db.batches).containsExactly(List.of(
        new NodeStore.StateChange(B, NodeState.OFFLINE, T0, Optional.empty()),
        new NodeStore.StateChange(A, NodeState.ONLINE, T0.plusMillis(5),
            Optional.of(T0.plusMillis(5)))));
    assertThat(store.backlog()).isZero();
    assertThat(store.flush()).isZero();
    assertThat(db.batches).hasSize(1);
  }

  @Test
  void newerChangeWithoutHeartbeat_keepsTheHeartbeatOfTheChangeItReplaces() {
    store.updateState(A, NodeState.ONLINE, T0, Optional.of(T0));
    store.updateState(A, NodeState.STALE, T0.plusSeconds(10), Optional.empty());

    store.flush();

    assertThat(db.batches.get(0)).containsExactly(
        new NodeStore.StateChange(A, NodeState.STALE, T0.plusSeconds(10), Optional.of(T0)));
  }

  @Test
  void refusedBatch_isStoredOneByOne_andAChangeOfAnUnknownNodeIsDroppedAlone() {
    db.refuseBatches = true;
    db.unknown = Set.of(A);
    store.updateState(A, NodeState.ONLINE, T0, Optional.empty());
    store.updateState(B, NodeState.OFFLINE, T0, Optional.empty());

    assertThat(store.flush()).isEqualTo(2);

    assertThat(db.singles).containsExactly(
        new NodeStore.StateChange(B, NodeState.OFFLINE, T0, Optional.empty()));
    assertThat(store.backlog()).isZero();
  }

  @Test
  void reads_flushFirst_soTheySeeEveryRecordedChange() {
    store.updateState(A, NodeState.OFFLINE, T0, Optional.empty());

    store.all();

    assertThat(db.batches).hasSize(1);
    store.updateState(B, NodeState.OFFLINE, T0, Optional.empty());
    store.find(B);
    assertThat(db.batches).hasSize(2);
  }
}
