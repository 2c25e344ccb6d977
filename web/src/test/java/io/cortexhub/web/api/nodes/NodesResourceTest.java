package io.cortexhub.web.api.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortexhub.hub.registry.NodeState;
import io.cortexhub.hub.registry.UnknownNodeException;
import io.cortexhub.web.testing.FakeNodeDirectory;
import io.cortexhub.web.testing.Views;
import io.cortexhub.web.testing.FakeSecurity;
import org.junit.jupiter.api.Test;

class NodesResourceTest {

  private static final String POLICY = "version: 1\nconsent: strict\ncommands:\n  - path: /usr/bin/echo\n";

  private final NodesResource resource = new NodesResource(new FakeNodeDirectory()
      .add(Views.node("n-1", "alpha", NodeState.ONLINE))
      .add(Views.node("n-2", "beta", NodeState.OFFLINE))
      .add(Views.nodeWithPolicy("n-3", "gamma", "strict", POLICY)), (node, by, reason) -> { });

  @Test
  void list_returnsEveryNodeInTheDirectorysOrder() {
    assertThat(resource.list(FakeSecurity.admin())).extracting(NodeJson::name)
        .containsExactly("alpha", "beta", "gamma");
  }

  @Test
  void get_returnsTheNode() {
    assertThat(resource.get("n-2", FakeSecurity.admin()).state()).isEqualTo("OFFLINE");
  }

  @Test
  void get_unknownNode_throwsUnknownNode() {
    assertThatThrownBy(() -> resource.get("n-404", FakeSecurity.admin())).isInstanceOf(UnknownNodeException.class);
  }

  @Test
  void aNodesPolicy_isShownAsReported_itsDigestInTheManifest_itsTextOnItsOwnPath() {
    NodeJson gamma = resource.get("n-3", FakeSecurity.admin());
    NodeJson.PolicyJson policy = resource.policy("n-3", FakeSecurity.admin());

    assertThat(gamma.manifest().consentMode()).isEqualTo("strict");
    assertThat(gamma.manifest().policyDigest()).hasSize(64).isEqualTo(policy.digest());
    assertThat(policy.node()).isEqualTo("n-3");
    assertThat(policy.consentMode()).isEqualTo("strict");
    assertThat(policy.policy()).isEqualTo(POLICY);
  }

  @Test
  void anAgentThatReportsNoPolicy_showsNone_andAnUnknownNodeIs404() {
    NodeJson.PolicyJson none = resource.policy("n-1", FakeSecurity.admin());

    assertThat(none.policy()).isNull();
    assertThat(none.digest()).isNull();
    assertThat(resource.get("n-1", FakeSecurity.admin()).manifest().consentMode()).isNull();
    assertThatThrownBy(() -> resource.policy("n-404", FakeSecurity.admin())).isInstanceOf(UnknownNodeException.class);
  }
}
