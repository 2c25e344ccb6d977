package io.cortexhub.hub.enrollment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortexhub.hub.connector.inbound.NodeRefusedException;
import io.cortexhub.hub.registry.NodeId;
import io.cortexhub.hub.registry.UnknownNodeException;
import io.cortexhub.hub.testing.FakeConnections.Recording;
import io.cortexhub.hub.testing.HubHarness;
import io.cortexhub.hub.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NodeRevocationTest {
  private final HubHarness hub = new HubHarness(TestDatabase.Kind.H2);

  @AfterEach
  void close() throws Exception {
    hub.close();
  }

  @Test
  void revokingANode_closesItsLiveSession_andRefusesItsNextHello() {
    Recording alpha = hub.connect("alpha", 2);

    hub.core.revocations().revoke(alpha.node(), "admin", "laptop stolen");

    assertThat(alpha.isOpen()).isFalse();
    assertThat(alpha.closedWith).isEqualTo("REVOKED: node revoked");
    assertThatThrownBy(() -> hub.connect("alpha", 2))
        .isInstanceOf(NodeRefusedException.class).hasMessage("node revoked");
    JdbcNodeRevocations reloaded = new JdbcNodeRevocations(hub.db.dataSource(), hub.clock,
        n -> true);
    assertThat(reloaded.isRevoked(alpha.node())).as("persisted").isTrue();
    // Idempotent: a second revocation neither fails nor changes the record.
    hub.core.revocations().revoke(alpha.node(), "other", "again");
  }

  @Test
  void revokingAnUnknownNode_isRefused() {
    assertThatThrownBy(() -> hub.core.revocations().revoke(new NodeId("n-ghost"), "admin", "x"))
        .isInstanceOf(UnknownNodeException.class);
  }
}
