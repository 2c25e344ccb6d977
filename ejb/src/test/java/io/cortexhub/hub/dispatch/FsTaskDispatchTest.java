package io.cortexhub.hub.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortexhub.hub.testing.FakeConnections.Recording;
import io.cortexhub.hub.testing.HubHarness;
import io.cortexhub.hub.testing.TestDatabase;
import io.cortexhub.hub.workspace.Workspace;
import io.cortexhub.hub.workspace.WorkspaceId;
import io.cortexhub.proto.node.v1.TaskSpec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** fs tasks through the hub: stored, routed by the {@code fs} capability, signed with their operation. */
class FsTaskDispatchTest {
  private final HubHarness hub = new HubHarness(TestDatabase.Kind.H2);
  private final TaskService tasks = hub.core.tasks();

  @AfterEach
  void close() throws Exception {
    hub.close();
  }

  private static TaskRequest fs(String workspace, Optional<FsOperation> op) {
    return new TaskRequest(TaskKind.FS, workspace, "", List.of(), Map.of(), "", op, Optional.empty(),
        Optional.empty(), Optional.empty(), Map.of(), "alice", Optional.empty());
  }

  @Test
  void fsTask_reachesOnlyANodeOfferingFs_withItsOperationInTheSignedSpec() throws Exception {
    Recording shellOnly = hub.connect("shell-only", 4, List.of("echo", "shell"), Map.of(), List.of());
    Recording files = hub.connect("files", 4, List.of("shell", "fs"), Map.of(), List.of());
    FsOperation write = FsOperation.write("notes/a.txt", "hello".getBytes(StandardCharsets.UTF_8), true, "");

    TaskView t = tasks.submit(fs("default", Optional.of(write))).task();
    hub.commit();

    assertThat(shellOnly.tasks).isEmpty();
    assertThat(files.tasks).hasSize(1);
    TaskSpec spec = TaskSpec.parseFrom(files.tasks.get(0).spec());
    assertThat(spec.getCapability()).isEqualTo("fs");
    assertThat(spec.getFs()).isEqualTo(write.payload());
    assertThat(spec.hasShell()).isFalse();
    assertThat(tasks.find(t.id()).orElseThrow().fs()).contains(write);
  }

  @Test
  void fsTask_withoutAnOperation_orAShellTaskWithOne_isRefusedAtSubmit() {
    assertThatThrownBy(() -> tasks.submit(fs("default", Optional.empty())))
        .isInstanceOf(InvalidTaskRequestException.class).hasMessageContaining("needs its file operation");

    TaskRequest shellWithFs = new TaskRequest(TaskKind.SHELL, "default", "", List.of("id"), Map.of(), "",
        Optional.of(FsOperation.stat("a")), Optional.empty(), Optional.empty(), Optional.empty(), Map.of(),
        "alice", Optional.empty());
    assertThatThrownBy(() -> tasks.submit(shellWithFs))
        .isInstanceOf(InvalidTaskRequestException.class).hasMessageContaining("only fs tasks");
  }

  @Test
  void fsTask_inAWorkspaceThatDoesNotGrantFs_isRefusedAtSubmit() {
    hub.core.workspaces().save(new Workspace(new WorkspaceId("blue"), Set.of("shell")));

    assertThatThrownBy(() -> tasks.submit(fs("blue", Optional.of(FsOperation.stat("a")))))
        .isInstanceOf(InvalidTaskRequestException.class)
        .hasMessageContaining("does not grant its nodes the capability 'fs'");
  }
}
