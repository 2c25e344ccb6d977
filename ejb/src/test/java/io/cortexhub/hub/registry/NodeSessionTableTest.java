package io.cortexhub.hub.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortexhub.hub.testing.FakeClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NodeSessionTableTest {
  private final FakeClock clock = new FakeClock();
  private final NodeSessionTable table =
      new NodeSessionTable(Duration.ofSeconds(10), Duration.ofSeconds(15));
  private final NodeView node = new NodeView(new NodeId("n1"), "alpha", "default", NodeState.CONNECTING,
      Map.of(), List.of("echo"), new NodeView.Manifest("", "", "", "", "", 1, 0, "", "", "none"),
      2, 0, clock.instant(), Optional.empty());

  private NodeState state() {
    return table.find(node.id()).orElseThrow().state();
  }

  @Test
  void acceptedHello_goesThroughConnectingToOnline() {
    List<NodeTransition> t = table.open(node, "s1", clock.instant());

    assertThat(t).extracting(NodeTransition::to)
        .containsExactly(NodeState.CONNECTING, NodeState.ONLINE);
    assertThat(state()).isEqualTo(NodeState.ONLINE);
  }

  @Test
  void silentNode_isStaleAfterTwoIntervals_andOfflineAfterThree() {
    table.open(node, "s1", clock.instant());

    clock.advance(Duration.ofMillis(9_999));
    assertThat(table.sweep(clock.instant())).isEmpty();
    clock.advance(Duration.ofMillis(1));
    assertThat(table.sweep(clock.instant())).extracting(NodeTransition::to)
        .containsExactly(NodeState.STALE);
    clock.advance(Duration.ofSeconds(5));
    assertThat(table.sweep(clock.instant())).extracting(NodeTransition::to)
        .containsExactly(NodeState.OFFLINE);
    assertThat(table.sessionOf(node.id())).isEmpty();
  }

  @Test
  void heartbeat_bringsStaleNodeBackOnline() {
    table.open(node, "s1", clock.instant());
    clock.advance(Duration.ofSeconds(11));
    table.sweep(clock.instant());

    Optional<NodeTransition> back = table.heartbeat(node.id(), clock.instant());

    assertThat(back).map(NodeTransition::to).contains(NodeState.ONLINE);
    clock.advance(Duration.ofSeconds(9));
    assertThat(table.sweep(clock.instant())).isEmpty();
  }

  @Test
  void heartbeats_keepNodeOnlineIndefinitely() {
    table.open(node, "s1", clock.instant());
    for (int i = 0; i < 100; i++) {
      clock.advance(Duration.ofSeconds(5));
      table.heartbeat(node.id(), clock.instant());
      assertThat(table.sweep(clock.instant())).isEmpty();
    }
    assertThat(state()).isEqualTo(NodeState.ONLINE);
  }

  @Test
  void closeOfReplacedSession_doesNotTakeTheNodeOffline() {
    table.open(node, "old", clock.instant());
    table.open(node, "new", clock.instant());

    assertThat(table.closed(node.id(), "old", clock.instant(), "replaced")).isEmpty();
    assertThat(state()).isEqualTo(NodeState.ONLINE);
    assertThat(table.closed(node.id(), "new", clock.instant(), "gone"))
        .map(NodeTransition::to).contains(NodeState.OFFLINE);
  }

  @Test
  void offlineNode_ignoresHeartbeatsUntilItReconnects() {
    table.open(node, "s1", clock.instant());
    table.closed(node.id(), "s1", clock.instant(), "gone");

    assertThat(table.heartbeat(node.id(), clock.instant())).isEmpty();
    assertThat(state()).isEqualTo(NodeState.OFFLINE);
    assertThat(table.open(node, "s2", clock.instant())).extracting(NodeTransition::to)
        .containsExactly(NodeState.CONNECTING, NodeState.ONLINE);
  }

  @Test
  void nodesLoadedAfterBoot_areOffline_andListedOnlineFirst() {
    NodeView other = new NodeView(new NodeId("n0"), "zulu", "default", NodeState.ONLINE, Map.of(),
        List.of(), node.manifest(), 1, 0, clock.instant(), Optional.empty());
    table.load(List.of(other), clock.instant());
    table.open(node, "s1", clock.instant());

    assertThat(table.all()).extracting(NodeView::name, NodeView::state).containsExactly(
        org.assertj.core.groups.Tuple.tuple("alpha", NodeState.ONLINE),
        org.assertj.core.groups.Tuple.tuple("zulu", NodeState.OFFLINE));
  }
}
