package io.cortexhub.web.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortexhub.hub.dispatch.TaskState;
import io.cortexhub.hub.dispatch.UnknownTaskException;
import io.cortexhub.hub.registry.NodeState;
import io.cortexhub.hub.registry.UnknownNodeException;
import io.cortexhub.web.api.admin.JoinTokenJson;
import io.cortexhub.web.api.admin.JoinTokenRequestJson;
import io.cortexhub.web.api.admin.JoinTokensResource;
import io.cortexhub.web.api.auth.NotPermittedException;
import io.cortexhub.web.api.nodes.NodeJson;
import io.cortexhub.web.api.nodes.NodesResource;
import io.cortexhub.web.api.tasks.BatchItemJson;
import io.cortexhub.web.api.tasks.SseKeepAlive;
import io.cortexhub.web.api.tasks.SubmitTaskJson;
import io.cortexhub.web.api.tasks.TaskJson;
import io.cortexhub.web.api.tasks.TaskOutputResource;
import io.cortexhub.web.api.tasks.TasksResource;
import io.cortexhub.web.testing.AdminFakes;
import io.cortexhub.web.testing.FakeNodeDirectory;
import io.cortexhub.web.testing.FakeSecurity;
import io.cortexhub.web.testing.FakeTaskOutputService;
import io.cortexhub.web.testing.FakeTaskService;
import io.cortexhub.web.testing.MutableClock;
import io.cortexhub.web.testing.Views;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Two workspaces, {@code team-a} and {@code team-b}: a caller of one sees and touches nothing of
 * the other. Every read answers as if the other workspace's objects did not exist (404, never
 * data); acting in a workspace the token does not include is refused (403).
 */
class CrossWorkspaceTest {

  private static final FakeSecurity ALICE =
      FakeSecurity.user("alice", Set.of("operator"), Set.of("team-a"));
  private static final FakeSecurity BOB =
      FakeSecurity.user("bob", Set.of("operator", "admin"), Set.of("team-b"));

  private final MutableClock clock = new MutableClock(Views.T0);
  private final FakeNodeDirectory directory = new FakeNodeDirectory()
      .add(Views.node("n-a", "alpha", "team-a", NodeState.ONLINE))
      .add(Views.node("n-b", "beta", "team-b", NodeState.ONLINE));
  private final FakeTaskService tasks = new FakeTaskService(clock);
  private final AdminFakes.Revocations revocations = new AdminFakes.Revocations();
  private final NodesResource nodes = new NodesResource(directory, revocations);
  private final TasksResource taskResource = new TasksResource(tasks);
  private final TaskOutputResource output = new TaskOutputResource(tasks,
      new FakeTaskOutputService(), new SseKeepAlive(Duration.ofSeconds(15), clock.scheduler()));

  CrossWorkspaceTest() {
    tasks.put(Views.task("t-a", "team-a", TaskState.RUNNING));
  }

  @Test
  void listingNodes_showsOnlyTheCallersWorkspace() {
    assertThat(nodes.list(ALICE)).extracting(NodeJson::id).containsExactly("n-a");
    assertThat(nodes.list(BOB)).extracting(NodeJson::id).containsExactly("n-b");
  }

  @Test
  void anotherWorkspacesNode_isUnknown() {
    assertThatThrownBy(() -> nodes.get("n-a", BOB)).isInstanceOf(UnknownNodeException.class);
  }

  @Test
  void anotherWorkspacesTask_isUnknown_forReadingItsOutputAndCancelling() {
    assertThat(taskResource.recent(null, BOB)).isEmpty();
    assertThat(taskResource.recent(null, ALICE)).extracting(TaskJson::id).containsExactly("t-a");
    assertThatThrownBy(() -> taskResource.get("t-a", BOB))
        .isInstanceOf(UnknownTaskException.class);
    assertThatThrownBy(() -> output.read("t-a", null, null, BOB))
        .isInstanceOf(UnknownTaskException.class);
    assertThatThrownBy(() -> taskResource.cancel("t-a", BOB))
        .isInstanceOf(UnknownTaskException.class);
    assertThat(tasks.find(new io.cortexhub.hub.dispatch.TaskId("t-a")).orElseThrow().state())
        .isEqualTo(TaskState.RUNNING);
  }

  @Test
  void submittingIntoAnotherWorkspace_isRefused() {
    assertThatThrownBy(() -> taskResource.submit(echoIn("team-a"), null, null, BOB))
        .isInstanceOf(NotPermittedException.class).hasMessageContaining("team-a");
    assertThat(tasks.requests()).isEmpty();
  }

  @Test
  void submitWithoutAWorkspace_goesToTheCallersOnlyWorkspace() {
    Response created = taskResource.submit(echoIn(null), null, null, BOB);

    assertThat(created.getStatus()).isEqualTo(201);
    assertThat(tasks.requests().get(0).workspace()).isEqualTo("team-b");
  }

  @Test
  void batchItemsForAnotherWorkspace_areRefusedOneByOne() {
    List<BatchItemJson> out = taskResource.submitBatch(
        List.of(echoIn("team-b"), echoIn("team-a")), null, BOB);

    assertThat(out).extracting(BatchItemJson::status).containsExactly(201, 403);
  }

  @Test
  void revokingAnotherWorkspacesNode_isUnknown() {
    assertThatThrownBy(() -> nodes.revoke("n-a", null, BOB))
        .isInstanceOf(UnknownNodeException.class);
    assertThat(revocations.done()).isEmpty();

    assertThat(nodes.revoke("n-b", new NodesResource.RevokeJson("stolen laptop"), BOB)
        .getStatus()).isEqualTo(204);
    assertThat(revocations.done()).containsExactly("n-b bob: stolen laptop");
  }

  @Test
  void joinTokens_ofAnotherWorkspace_areNeitherListedNorRevokedNorCreated() {
    AdminFakes.Tokens store = new AdminFakes.Tokens();
    JoinTokensResource joinTokens = new JoinTokensResource(store);
    FakeSecurity adminA = FakeSecurity.user("ann", Set.of("admin"), Set.of("team-a"));
    joinTokens.create(new JoinTokenRequestJson(null, null, null, null), adminA);

    assertThat(joinTokens.list(adminA)).extracting(JoinTokenJson::workspace)
        .containsExactly("team-a");
    assertThat(joinTokens.list(BOB)).isEmpty();
    assertThatThrownBy(() -> joinTokens.revoke("jt-1", BOB))
        .isInstanceOf(io.cortexhub.hub.enrollment.UnknownJoinTokenException.class);
    assertThat(store.revoked()).isEmpty();
    assertThatThrownBy(() -> joinTokens.create(
        new JoinTokenRequestJson("team-a", null, null, null), BOB))
        .isInstanceOf(NotPermittedException.class);
  }

  private static SubmitTaskJson echoIn(String workspace) {
    return new SubmitTaskJson("echo", "hi", null, null, null, null, null, null, null, null, workspace);
  }
}
