package io.cortexhub.hub.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortexhub.hub.dispatch.InvalidTaskRequestException;
import io.cortexhub.hub.dispatch.TaskKind;
import io.cortexhub.hub.dispatch.TaskRequest;
import io.cortexhub.hub.dispatch.TaskService;
import io.cortexhub.hub.dispatch.TaskState;
import io.cortexhub.hub.dispatch.TaskView;
import io.cortexhub.hub.dispatch.UnknownTaskException;
import io.cortexhub.hub.registry.NodeId;
import io.cortexhub.hub.registry.UnknownNodeException;
import io.cortexhub.hub.testing.FakeConnections.Recording;
import io.cortexhub.hub.testing.HubHarness;
import io.cortexhub.hub.testing.TestDatabase;
import io.cortexhub.proto.node.v1.TaskSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two workspaces on one hub: routing, reads and cancels never cross between them. */
class WorkspaceIsolationTest {
  private static final WorkspaceId BLUE = new WorkspaceId("blue");
  private static final WorkspaceId RED = new WorkspaceId("red");
  private static final WorkspaceScope ONLY_BLUE = WorkspaceScope.of(Set.of("blue"));

  private final HubHarness hub = new HubHarness(TestDatabase.Kind.H2);
  private final TaskService tasks = hub.core.tasks();
  private final WorkspaceDirectory workspaces = hub.core.workspaces();

  @AfterEach
  void close() throws Exception {
    hub.close();
  }

  private Recording node(WorkspaceId ws, String name) {
    return hub.connect(ws, name, 4, List.of("echo", "shell"), Map.of(), List.of());
  }

  private static TaskRequest echoIn(WorkspaceId ws, Optional<NodeId> target) {
    return new TaskRequest(TaskKind.ECHO, ws.value(), "hi", List.of(), Map.of(), "", Optional.empty(),
        Optional.empty(), Optional.empty(), target, Map.of(), "alice", Optional.empty());
  }

  @Test
  void defaultWorkspace_existsAndGrantsEverything() {
    assertThat(workspaces.list()).extracting(Workspace::id).containsExactly(WorkspaceId.DEFAULT);
    assertThat(workspaces.grants(WorkspaceId.DEFAULT, "anything")).isTrue();
    assertThat(TaskRequest.echo("x", Map.of()).workspace()).isEqualTo("default");
  }

  @Test
  void tasksAreRoutedOnlyToNodesOfTheirWorkspace() throws Exception {
    workspaces.save(new Workspace(BLUE, Set.of("*")));
    workspaces.save(new Workspace(RED, Set.of("*")));
    Recording red = node(RED, "r1");
    TaskView blueTask = tasks.submit(echoIn(BLUE, Optional.empty())).task();
    hub.commit();
    assertThat(red.tasks).as("a red node never sees a blue task").isEmpty();

    Recording blue = node(BLUE, "b1");
    hub.commit();
    assertThat(blue.tasks).hasSize(1);
    TaskSpec spec = TaskSpec.parseFrom(blue.tasks.get(0).spec());
    assertThat(spec.getWorkspace()).isEqualTo("blue");
    assertThat(spec.getTaskId()).isEqualTo(blueTask.id().value());
    assertThat(red.tasks).isEmpty();
  }

  @Test
  void targetingAnotherWorkspacesNode_isRefusedLikeAnUnknownNode() {
    workspaces.save(new Workspace(BLUE, Set.of("*")));
    workspaces.save(new Workspace(RED, Set.of("*")));
    Recording red = node(RED, "r1");

    assertThatThrownBy(() -> tasks.submit(echoIn(BLUE, Optional.of(red.node()))))
        .isInstanceOf(UnknownNodeException.class)
        .hasMessage("unknown node: " + red.node());
    assertThatThrownBy(() -> tasks.submit(echoIn(BLUE, Optional.of(new NodeId("nope")))))
        .isInstanceOf(UnknownNodeException.class)
        .hasMessage("unknown node: nope");
    assertThat(tasks.recent(10)).isEmpty();
  }

  @Test
  void readsAndCancels_areScopedToTheCallersWorkspaces() {
    workspaces.save(new Workspace(BLUE, Set.of("*")));
    workspaces.save(new Workspace(RED, Set.of("*")));
    node(RED, "r1");
    node(BLUE, "b1");
    TaskView redTask = tasks.submit(echoIn(RED, Optional.empty())).task();
    TaskView blueTask = tasks.submit(echoIn(BLUE, Optional.empty())).task();
    hub.commit();

    assertThat(tasks.recent(10, ONLY_BLUE)).extracting(TaskView::id)
        .containsExactly(blueTask.id());
    assertThat(tasks.recent(10, WorkspaceScope.all())).hasSize(2);
    assertThat(tasks.find(redTask.id(), ONLY_BLUE)).isEmpty();
    assertThat(tasks.find(blueTask.id(), ONLY_BLUE)).isPresent();
    assertThatThrownBy(() -> tasks.cancel(redTask.id(), ONLY_BLUE))
        .isInstanceOf(UnknownTaskException.class);
    hub.commit();
    assertThat(tasks.find(redTask.id()).orElseThrow().state())
        .as("the refused cancel changed nothing").isEqualTo(TaskState.DISPATCHED);

    assertThat(hub.core.directory().list(ONLY_BLUE)).extracting(v -> v.name())
        .containsExactly("b1");
    assertThat(hub.core.directory().find(new NodeId("id-r1"), ONLY_BLUE)).isEmpty();
    assertThat(hub.core.directory().find(new NodeId("id-r1"), WorkspaceScope.all()))
        .isPresent();
  }

  @Test
  void capabilityTheWorkspaceDoesNotGrant_isRefusedAtSubmit_andNeverDispatched() {
    workspaces.save(new Workspace(BLUE, Set.of("echo")));
    Recording blue = node(BLUE, "b1");
    TaskRequest shell = new TaskRequest(TaskKind.SHELL, "blue", "", List.of("id"), Map.of(), "", Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Map.of(), "alice",
        Optional.empty());

    assertThatThrownBy(() -> tasks.submit(shell))
        .isInstanceOf(InvalidTaskRequestException.class)
        .hasMessageContaining("does not grant its nodes the capability 'shell'");

    // Granted at submit, withdrawn before a node came: the task waits, never reaching a node.
    WorkspaceId green = new WorkspaceId("green");
    workspaces.save(new Workspace(green, Set.of("echo", "shell")));
    tasks.submit(new TaskRequest(TaskKind.SHELL, "green", "", List.of("id"), Map.of(), "", Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Map.of(), "alice",
        Optional.empty()));
    workspaces.save(new Workspace(green, Set.of("echo")));
    Recording greenNode = node(green, "g1");
    hub.commit();
    assertThat(greenNode.tasks).isEmpty();
    assertThat(blue.tasks).isEmpty();
  }

  @Test
  void unknownOrMalformedWorkspace_isRefusedAtSubmit() {
    assertThatThrownBy(() -> tasks.submit(echoIn(new WorkspaceId("nowhere"), Optional.empty())))
        .isInstanceOf(InvalidTaskRequestException.class)
        .hasMessageContaining("no such workspace: nowhere");
    TaskRequest bad = new TaskRequest(TaskKind.ECHO, "Not A Name", "hi", List.of(), Map.of(), "", Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Map.of(), "alice",
        Optional.empty());
    assertThatThrownBy(() -> tasks.submit(bad))
        .isInstanceOf(InvalidTaskRequestException.class)
        .hasMessageContaining("workspace: not a workspace name");
    assertThatThrownBy(() -> new WorkspaceId("../etc")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void workspaceGrants_surviveAReload() {
    workspaces.save(new Workspace(BLUE, Set.of("echo", "fs")));
    JdbcWorkspaceDirectory fresh = new JdbcWorkspaceDirectory(hub.db.dataSource(), hub.clock);
    assertThat(fresh.find(BLUE)).map(Workspace::grantedCapabilities)
        .contains(Set.of("echo", "fs"));
    assertThat(fresh.grants(BLUE, "shell")).isFalse();
  }
}
