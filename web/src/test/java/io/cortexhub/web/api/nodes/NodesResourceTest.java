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

  private final NodesResource resource = new NodesResource(new FakeNodeDirectory()
      .add(Views.node("n-1", "alpha", NodeState.ONLINE))
      .add(Views.node("n-2", "beta", NodeState.OFFLINE)), (node, by, reason) -> { });

  @Test
  void list_returnsEveryNodeInTheDirectorysOrder() {
    assertThat(resource.list(FakeSecurity.admin())).extracting(NodeJson::name).containsExactly("alpha", "beta");
  }

  @Test
  void get_returnsTheNode() {
    assertThat(resource.get("n-2", FakeSecurity.admin()).state()).isEqualTo("OFFLINE");
  }

  @Test
  void get_unknownNode_throwsUnknownNode() {
    assertThatThrownBy(() -> resource.get("n-404", FakeSecurity.admin())).isInstanceOf(UnknownNodeException.class);
  }
}
