package io.cortexhub.node.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortexhub.node.policy.WorkspaceRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which paths name the agent's own files, compared element by element and through links. */
class ProtectedPathsTest {
  @TempDir Path dir;

  @Test
  void aPathIsCovered_whenItIsAProtectedPathOrLiesInside_butNotASiblingWithTheSamePrefix() throws Exception {
    Path state = Files.createDirectories(dir.resolve("state"));
    ProtectedPaths p = ProtectedPaths.of(List.of(state));

    assertThat(p.covering(state)).contains(state);
    assertThat(p.covering(state.resolve("credentials.pem"))).contains(state);
    assertThat(p.covering(dir.resolve("ws/../state/x"))).contains(state);
    assertThat(p.covering(dir.resolve("state-evil/x"))).isEmpty();
    assertThat(p.covering(dir)).isEmpty();
    assertThat(p.inside(dir)).contains(state);
    assertThat(p.inside(state)).isEmpty();
    assertThat(p.inside(dir.resolve("other"))).isEmpty();
  }

  @Test
  void aLinkToTheProtectedPath_doesNotHideIt() throws Exception {
    Path state = Files.createDirectories(dir.resolve("real/state"));
    Path link = Files.createSymbolicLink(dir.resolve("alias"), dir.resolve("real"));
    ProtectedPaths p = ProtectedPaths.of(List.of(state));

    assertThat(p.covering(link.resolve("state/audit.log"))).contains(state);
    assertThat(p.inside(link)).contains(state);
    assertThat(ProtectedPaths.of(List.of(link.resolve("state"))).covering(state.resolve("x"))).isPresent();
  }

  @Test
  void anAgentFileInsideAWritableRoot_isRefusedAtStartUp_aReadOnlyRootIsAccepted() throws Exception {
    Path root = Files.createDirectories(dir.resolve("srv"));
    ProtectedPaths p = ProtectedPaths.of(List.of(root.resolve("cortex/audit.log")));

    assertThatThrownBy(() -> p.requireOutside(List.of(new WorkspaceRoot(root, true))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(root.resolve("cortex/audit.log") + " lies inside the writable workspace root " + root);
    p.requireOutside(List.of(new WorkspaceRoot(root, false), new WorkspaceRoot(dir.resolve("other"), true)));
  }

  @Test
  void relativePaths_areNotAccepted() {
    assertThatThrownBy(() -> ProtectedPaths.of(List.of(Path.of("state")))).isInstanceOf(IllegalArgumentException.class);
  }
}
