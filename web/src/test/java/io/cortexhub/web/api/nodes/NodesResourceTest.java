package io.cortexhub.web.api.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortexhub.hub.registry.NodeState;
import io.cortexhub.hub.registry.UnknownNodeException;
import io.cortexhub.web.testing.FakeNodeDirectory;
import io.cortexhub.web.testing.Views;
import org.junit.jupiter.api.Test;

class NodesResourceTest {

  private final NodesResource resource = new NodesResource(new FakeNodeDirectory()
      .add(Views.node("n-1", "alpha", NodeState.ONLINE))
      .add(Views.node("n-2", "beta", NodeState.OFFLINE)));

  @Test
  void list_returnsEveryNodeInTheDirectorysOrder() {
    assertThat(resource.list()).extracting(NodeJson::name).containsExactly("alpha", "beta");
  }

  @Test
  void get_returnsTheNode() {
    assertThat(resource.get("n-2").state()).isEqualTo("OFFLINE");
  }

  @Test
  void get_unknownNode_throwsUnknownNode() {
    assertThatThrownBy(() -> resource.get("n-404")).isInstanceOf(UnknownNodeException.class);
  }
}
