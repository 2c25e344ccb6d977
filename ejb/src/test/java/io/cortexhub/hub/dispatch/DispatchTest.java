package io.cortexhub.hub.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortexhub.hub.connector.inbound.HeartbeatReport;
import io.cortexhub.hub.connector.inbound.ResumeEntry;
import io.cortexhub.hub.connector.inbound.TaskFinishReport;
import io.cortexhub.hub.connector.inbound.TaskRejection;
import io.cortexhub.hub.connector.inbound.TaskStartReport;
import io.cortexhub.hub.registry.NodeId;
import io.cortexhub.hub.registry.NodeState;
import io.cortexhub.hub.registry.UnknownNodeException;
import io.cortexhub.hub.testing.FakeConnections.Recording;
import io.cortexhub.hub.testing.HubHarness;
import io.cortexhub.hub.testing.InMemoryNodeStore;
import io.cortexhub.hub.testing.TestDatabase;
import io.cortexhub.proto.node.v1.TaskSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DispatchTest {
  private final HubHarness hub = new HubHarness(TestDatabase.Kind.H2);
  private final TaskService tasks = hub.core.tasks();

  @AfterEach
  void close() throws Exception {
    hub.close();
  }

  private TaskView submitEcho(Map<String, String> selector) {
    return tasks.submit(TaskRequest.echo("hi", selector)).task();
  }

  private TaskState state(TaskView t) {
    hub.commit();
    return tasks.find(t.id()).orElseThrow().state();
  }

  private static TaskSpec spec(Recording c, int i) throws Exception {
    return TaskSpec.parseFrom(c.tasks.get(i).spec());
  }

  @Test
  void everyTask_isSentSignedByTheHubsKey_overItsExactBytes() {
    Recording node = hub.connect("a", 2);
    submitEcho(Map.of());
    hub.commit();

    var envelope = node.tasks.get(0);
    assertThat(envelope.keyId()).isEqualTo(hub.security.signer().keys().get(0).keyId());
    assertThat(io.cortexhub.hub.signing.TaskSignatures.verify(hub.security.signer().keys(),
        envelope.keyId(), envelope.spec(), envelope.signature())).isTrue();
  }

  @Test
  void submittedTask_isStoredQueued_beforeAnyNodeExists() {
    TaskView t = submitEcho(Map.of());

    assertThat(t.state()).isEqualTo(TaskState.QUEUED);
    assertThat(tasks.find(t.id())).map(TaskView::state).contains(TaskState.QUEUED);
  }

  @Test
  void queuedTask_isSentOnlyAfterItsDispatchCommitted_whenAnEligibleNodeConnects()
      throws Exception {
    TaskView t = submitEcho(Map.of());
    Recording node = hub.connect("n1", 2);

    assertThat(node.tasks).as("nothing leaves before the DISPATCHED row commits").isEmpty();
    assertThat(state(t)).isEqualTo(TaskState.DISPATCHED);
    assertThat(node.tasks).hasSize(1);
    TaskSpec s = spec(node, 0);
    assertThat(s.getTaskId()).isEqualTo(t.id().value());
    assertThat(s.getNodeId()).isEqualTo(node.node().value());
    assertThat(s.getWorkspace()).isEqualTo("default");
    assertThat(s.getNonce().size()).isEqualTo(16);
    assertThat(s.getCapability()).isEqualTo("echo");
    assertThat(s.getEcho().getMessage().toStringUtf8()).isEqualTo("hi");
    assertThat(Traceparents.isValid(s.getTrace().getTraceparent())).isTrue();
    assertThat(s.getNotAfterUnixMs()).isGreaterThan(s.getIssuedAtUnixMs());
    assertThat(s.getTimeoutMs()).isEqualTo(600_000);
  }

  @Test
  void task_goesToTheLeastLoadedNodeWithTheCapability() {
    Recording shellOnly = hub.connect("shell-only", 4, List.of("shell"), Map.of(), List.of());
    Recording a = hub.connect("a", 4);
    Recording b = hub.connect("b", 4);
    for (int i = 0; i < 6; i++) {
      submitEcho(Map.of());
    }
    hub.commit();

    assertThat(shellOnly.tasks).isEmpty();
    assertThat(a.tasks).hasSize(3);
    assertThat(b.tasks).hasSize(3);
  }

  @Test
  void selector_routesOnlyToNodesCarryingAllLabels() {
    Recording plain = hub.connect("plain", 4);
    Recording gpu = hub.connect("gpu", 4, List.of("echo"), Map.of("gpu", "yes", "zone", "a"),
        List.of());
    submitEcho(Map.of("gpu", "yes"));
    TaskView none = submitEcho(Map.of("gpu", "no"));
    hub.commit();

    assertThat(gpu.tasks).hasSize(1);
    assertThat(plain.tasks).isEmpty();
    assertThat(state(none)).isEqualTo(TaskState.QUEUED);
  }

  @Test
  void targetNode_receivesTheTask_andAnUnknownTargetIsRefused() {
    hub.connect("a", 4);
    Recording b = hub.connect("b", 4);
    TaskRequest r = new TaskRequest(TaskKind.ECHO, "default", "x", List.of(), Map.of(), "", Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.of(b.node()), Map.of(), "me", Optional.empty());
    tasks.submit(r);
    hub.commit();
    assertThat(b.tasks).hasSize(1);

    TaskRequest unknown = new TaskRequest(TaskKind.ECHO, "default", "x", List.of(), Map.of(), "", Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.of(new NodeId("nope")), Map.of(), "me",
        Optional.empty());
    assertThatThrownBy(() -> tasks.submit(unknown)).isInstanceOf(UnknownNodeException.class);
  }

  @Test
  void node_neverHasMoreThanItsSlots_andAFinishFreesOne() throws Exception {
    Recording n = hub.connect("n", 2);
    List<TaskView> t = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      t.add(submitEcho(Map.of()));
    }
    hub.commit();
    assertThat(n.tasks).hasSize(2);
    assertThat(state(t.get(2))).isEqualTo(TaskState.QUEUED);

    TaskId first = new TaskId(spec(n, 0).getTaskId());
    hub.core.onTaskStarted(n.node(), new TaskStartReport(first.value(), hub.clock.millis(), 0));
    hub.output(n.node(), first, 1, "hi");
    hub.finish(n.node(), first, TaskFinishReport.Outcome.SUCCEEDED, 1);
    hub.commit();
    hub.commit();

    assertThat(tasks.find(first)).map(TaskView::state).contains(TaskState.SUCCEEDED);
    assertThat(n.finishedAcks).containsExactly(first);
    assertThat(n.tasks).hasSize(3);
    assertThat(state(t.get(2))).isEqualTo(TaskState.DISPATCHED);
  }

  @Test
  void sameIdempotencyKey_returnsTheSameTask_evenUnderARace() throws Exception {
    TaskRequest r = new TaskRequest(TaskKind.ECHO, "default", "x", List.of(), Map.of(), "", Optional.empty(), Optional.empty(),
        Optional.of("key-1"), Optional.empty(), Map.of(), "me", Optional.empty());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Submission>> calls = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        calls.add(() -> tasks.submit(r));
      }
      List<TaskId> ids = new ArrayList<>();
      int created = 0;
      for (Future<Submission> f : pool.invokeAll(calls)) {
        ids.add(f.get().task().id());
        created += f.get().created() ? 1 : 0;
      }
      assertThat(ids).containsOnly(ids.get(0));
      assertThat(created).as("submits that report creating the task").isEqualTo(1);
      assertThat(tasks.recent(100)).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void invalidRequests_areRefusedWithTheFieldNamed() {
    TaskRequest noArgv = new TaskRequest(TaskKind.SHELL, "default", "", List.of(), Map.of(), "", Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Map.of(), "me", Optional.empty());
    TaskRequest badTrace = new TaskRequest(TaskKind.ECHO, "default", "", List.of(), Map.of(), "", Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Map.of(), "me",
        Optional.of("00-zz-1"));
    TaskRequest badTimeout = new TaskRequest(TaskKind.ECHO, "default", "", List.of(), Map.of(), "", Optional.empty(),
        Optional.of(Duration.ZERO), Optional.empty(), Optional.empty(), Map.of(), "me",
        Optional.empty());

    assertThatThrownBy(() -> tasks.submit(noArgv)).isInstanceOf(InvalidTaskRequestException.class)
        .hasMessageContaining("argv");
    assertThatThrownBy(() -> tasks.submit(badTrace))
        .isInstanceOf(InvalidTaskRequestException.class).hasMessageContaining("traceparent");
    assertThatThrownBy(() -> tasks.submit(badTimeout))
        .isInstanceOf(InvalidTaskRequestException.class).hasMessageContaining("timeout");
    assertThat(tasks.recent(10)).isEmpty();
  }

  @Test
  void tasksOfANodeThatWentSilent_becomeLostWhenTheLeaseEnds() {
    Recording n = hub.connect("n", 2);
    TaskView t = submitEcho(Map.of());
    hub.commit();

    hub.clock.advance(Duration.ofSeconds(16));
    assertThat(hub.core.directory().find(n.node())).map(v -> v.state())
        .contains(NodeState.OFFLINE);
    assertThat(n.closedWith).startsWith("UNAVAILABLE");
    assertThat(state(t)).isEqualTo(TaskState.DISPATCHED);

    hub.clock.advance(Duration.ofSeconds(30));
    assertThat(state(t)).isEqualTo(TaskState.LOST);
    assertThat(tasks.find(t.id()).orElseThrow().detail()).contains("lease");
  }

  @Test
  void afterAHubRestart_dispatchedTasksWaitTheRestartGrace_notJustTheLease() {
    hub.connect("n", 2);
    TaskView t = submitEcho(Map.of());
    hub.commit();

    // The hub restarts over the same database; no node has reconnected yet. (Not closed here: it
    // shares the database that the field harness closes.)
    HubHarness restarted = new HubHarness(hub.db, new InMemoryNodeStore(), hub.settings);
    TaskService after = restarted.core.tasks();
    restarted.clock.advance(hub.settings.dispatchLease().plusSeconds(15));
    restarted.commit();
    assertThat(after.find(t.id()).orElseThrow().state()).isEqualTo(TaskState.DISPATCHED);

    restarted.clock.advance(hub.settings.restartGrace());
    restarted.commit();
    assertThat(after.find(t.id()).orElseThrow().state()).isEqualTo(TaskState.LOST);
  }

  @Test
  void taskOnAConnectedNodeThatNeverReports_isCancelledAndLost_afterTimeoutGraceAndResultGrace() {
    Recording n = hub.connect("n", 2);
    TaskRequest r = new TaskRequest(TaskKind.SHELL, "default", "", List.of("sleep", "1000"), Map.of(), "", Optional.empty(),
        Optional.of(Duration.ofSeconds(10)), Optional.empty(), Optional.of(n.node()), Map.of(), "me",
        Optional.empty());
    TaskView t = tasks.submit(r).task();
    hub.commit();
    Duration deadline = Duration.ofSeconds(10).plus(hub.settings.defaultKillGrace())
        .plus(hub.settings.resultGrace());

    // The node heartbeats all along (it never goes OFFLINE) but never reports the task.
    for (Duration waited = Duration.ZERO; waited.compareTo(deadline.minusSeconds(5)) < 0;
        waited = waited.plusSeconds(1)) {
      hub.clock.advance(Duration.ofSeconds(1));
      hub.core.onHeartbeat(n.node(), new HeartbeatReport(0, 1, 1, 0));
    }
    assertThat(state(t)).isEqualTo(TaskState.DISPATCHED);

    for (int i = 0; i < 6; i++) {
      hub.clock.advance(Duration.ofSeconds(1));
      hub.core.onHeartbeat(n.node(), new HeartbeatReport(0, 1, 1, 0));
    }
    assertThat(state(t)).isEqualTo(TaskState.LOST);
    assertThat(tasks.find(t.id()).orElseThrow().detail()).contains("no result");
    assertThat(n.cancels).containsExactly(t.id().value());
  }

  @Test
  void nodeThatComesBackWithinTheLease_keepsTheTasksItResumes_andLosesTheOthers()
      throws Exception {
    Recording n = hub.connect("n", 2);
    TaskView kept = submitEcho(Map.of());
    TaskView dropped = submitEcho(Map.of());
    hub.commit();
    hub.output(n.node(), kept.id(), 1, "a");
    hub.commit();
    hub.core.onSessionClosed(n.node(), n.sessionId(), "network");
    hub.connections.drop(n.node());
    hub.clock.advance(Duration.ofSeconds(10));

    Recording again = hub.connect("n", 2, List.of("echo"), Map.of(),
        List.of(new ResumeEntry(kept.id().value(), 0, 2, false)));
    hub.commit();

    assertThat(again.acks).containsEntry(kept.id(), 1L);
    assertThat(state(dropped)).isEqualTo(TaskState.LOST);
    for (int i = 0; i < 12; i++) {
      // Past the original lease end; the node heartbeats, so nothing may expire.
      hub.clock.advance(Duration.ofSeconds(5));
      hub.core.onHeartbeat(again.node(),
          new io.cortexhub.hub.connector.inbound.HeartbeatReport(0, 1, 1, 0));
    }
    assertThat(state(kept)).isEqualTo(TaskState.DISPATCHED);
  }

  @Test
  void resumeOfATaskTheHubDoesNotRun_isAnsweredWithCancel() {
    Recording n = hub.connect("n", 2, List.of("echo"), Map.of(),
        List.of(new ResumeEntry("ghost", 0, 3, false)));

    assertThat(n.cancels).containsExactly("ghost");
  }

  @Test
  void capacityRejection_requeuesElsewhere_otherRejectionsFail() throws Exception {
    Recording a = hub.connect("a", 1);
    TaskView t = submitEcho(Map.of());
    hub.commit();
    hub.core.onTaskRejected(a.node(),
        new TaskRejection(t.id().value(), TaskRejection.Reason.CAPACITY, "full"));
    Recording b = hub.connect("b", 1);
    hub.commit();
    assertThat(b.tasks).extracting(e -> e.task()).containsExactly(t.id());

    hub.core.onTaskRejected(b.node(),
        new TaskRejection(t.id().value(), TaskRejection.Reason.INVALID, "bad argv"));
    assertThat(state(t)).isEqualTo(TaskState.FAILED);
    assertThat(tasks.find(t.id()).orElseThrow().detail()).contains("INVALID").contains("bad argv");
  }

  @Test
  void cancel_endsAQueuedTaskAtOnce_andAsksTheNodeToStopARunningOne() {
    TaskView queued = submitEcho(Map.of("none", "x"));
    assertThat(tasks.cancel(queued.id()).state()).isEqualTo(TaskState.CANCELLED);
    assertThat(state(queued)).isEqualTo(TaskState.CANCELLED);
    assertThatThrownBy(() -> tasks.cancel(queued.id()))
        .isInstanceOf(TaskAlreadyFinishedException.class);
    assertThatThrownBy(() -> tasks.cancel(new TaskId("missing")))
        .isInstanceOf(UnknownTaskException.class);

    Recording n = hub.connect("n", 1);
    TaskView running = submitEcho(Map.of());
    hub.commit();
    tasks.cancel(running.id());
    assertThat(n.cancels).containsExactly(running.id().value());
  }

  @Test
  void batchSubmit_answersEachRequestInOrder_andOneBadRequestDoesNotFailTheOthers() {
    Recording a = hub.connect("a", 8);
    TaskRequest keyed = new TaskRequest(TaskKind.ECHO, "default", "x", List.of(), Map.of(), "", Optional.empty(),
        Optional.empty(), Optional.of("batch-key"), Optional.empty(), Map.of(), "me",
        Optional.empty());
    TaskRequest unknownNode = new TaskRequest(TaskKind.ECHO, "default", "x", List.of(), Map.of(), "", Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.of(new NodeId("nope")), Map.of(), "me",
        Optional.empty());

    List<SubmitOutcome> out = tasks.submitAll(
        List.of(keyed, unknownNode, TaskRequest.echo("y", Map.of()), keyed));
    hub.commit();

    assertThat(out).hasSize(4);
    Submission first = ((SubmitOutcome.Accepted) out.get(0)).submission();
    assertThat(first.created()).isTrue();
    assertThat(((SubmitOutcome.Refused) out.get(1)).reason())
        .isInstanceOf(UnknownNodeException.class);
    assertThat(((SubmitOutcome.Accepted) out.get(2)).submission().created()).isTrue();
    Submission retry = ((SubmitOutcome.Accepted) out.get(3)).submission();
    assertThat(retry.created()).isFalse();
    assertThat(retry.task().id()).isEqualTo(first.task().id());
    assertThat(tasks.recent(10)).hasSize(2);
    assertThat(a.tasks).hasSize(2);
  }
}
