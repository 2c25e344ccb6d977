package io.cortexhub.node.tunnel;

import static io.cortexhub.node.testing.TestPolicies.realPath;
import static org.assertj.core.api.Assertions.assertThat;

import io.cortexhub.node.audit.AuditRecord;
import io.cortexhub.node.audit.AuditTypes;
import io.cortexhub.node.policy.ConsentMode;
import io.cortexhub.node.policy.NodePolicy;
import io.cortexhub.node.sandbox.IsolationReport;
import io.cortexhub.node.testing.Await;
import io.cortexhub.node.testing.FakeHub;
import io.cortexhub.node.testing.TestPolicies;
import io.cortexhub.proto.node.v1.Cancel;
import io.cortexhub.proto.node.v1.HubFrame;
import io.cortexhub.proto.node.v1.NodeFrame;
import io.cortexhub.proto.node.v1.RejectReason;
import io.cortexhub.proto.node.v1.TaskAwaitingConsent;
import io.cortexhub.proto.node.v1.TaskFinished;
import io.cortexhub.proto.node.v1.TaskOutcome;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Consent on the node, end to end: a real shell runner and real processes, the owner answering over
 * the real approvals socket, the broker's timeout on the fake clock, the hub seeing
 * TaskAwaitingConsent and then TaskAccepted or CONSENT_DENIED, every step in the audit log.
 */
class ConsentFlowTest extends EngineTestBase {
  private static final IsolationReport NO_SANDBOX = IsolationReport.none(true, "tests run processes unconfined");

  private NodePolicy policy(ConsentMode mode) {
    return TestPolicies.allowing(List.of(dir), "echo", "ls", "touch").withConsentMode(mode);
  }

  private Path taskDir(String id) throws Exception {
    return settings().taskDir(id).toRealPath();
  }

  @Test
  void strict_aCommandWaitsForTheOwner_approvedOverTheSocket_thenRuns() throws Exception {
    startEngine(policy(ConsentMode.STRICT), NO_SANDBOX);
    FakeHub.Stream s = welcomedQuietly();

    assign(s, shell("c-1", "echo", "hello"));

    TaskAwaitingConsent waiting = s.next().getAwaitingConsent();
    String echo = realPath("echo").toString();
    assertThat(waiting.getTaskId()).isEqualTo("c-1");
    assertThat(waiting.getPrompt())
        .contains("[\"" + echo + "\",\"hello\"]")
        .contains(" in " + taskDir("c-1"))
        .contains("requested by " + REQUESTER);
    assertThat(waiting.getDeadlineUnixMs()).isEqualTo(clock.millis() + Duration.ofMinutes(5).toMillis());

    List<Map<String, Object>> pending = owner().list();
    assertThat(pending).hasSize(1);
    assertThat(pending.get(0)).containsEntry("taskId", "c-1").containsEntry("argv", List.of(echo, "hello"))
        .containsEntry("cwd", taskDir("c-1").toString()).containsEntry("requestedBy", REQUESTER);
    assertThat(s.all()).noneMatch(NodeFrame::hasTaskAccepted).noneMatch(NodeFrame::hasTaskStarted);

    Map<String, Object> reply = owner().approve((String) pending.get(0).get("id"));
    assertThat(reply).containsEntry("ok", true).containsEntry("verdict", "APPROVED");

    assertThat(s.next().getTaskAccepted().getTaskId()).isEqualTo("c-1");
    assertThat(s.next().getTaskStarted().getPid()).isPositive();
    assertThat(s.nextMatching(NodeFrame::hasOutput).getOutput().getData().toStringUtf8()).isEqualTo("hello\n");
    assertThat(s.nextMatching(NodeFrame::hasTaskFinished).getTaskFinished().getOutcome())
        .isEqualTo(TaskOutcome.TASK_OUTCOME_SUCCEEDED);

    List<AuditRecord> audit = recordsEndingWith("c-1", AuditTypes.PROCESS_EXITED);
    assertThat(audit).extracting(AuditRecord::type).containsExactly(
        AuditTypes.TASK_RECEIVED, AuditTypes.TASK_VERIFIED, AuditTypes.CONSENT_REQUESTED, AuditTypes.CONSENT_DECIDED,
        AuditTypes.PROCESS_STARTED, AuditTypes.PROCESS_EXITED);
    assertThat(fields(audit, AuditTypes.CONSENT_REQUESTED)).containsEntry("argv", List.of(echo, "hello"))
        .containsEntry("requestedBy", REQUESTER).containsEntry("id", pending.get(0).get("id"));
    assertThat(fields(audit, AuditTypes.CONSENT_DECIDED)).containsEntry("verdict", "APPROVED")
        .containsEntry("decidedBy", "socket:root");
    assertThat(fields(audit, AuditTypes.PROCESS_STARTED)).containsEntry("argv", List.of(echo, "hello"))
        .containsEntry("isolation", "none");
    assertThat(fields(audit, AuditTypes.PROCESS_EXITED)).containsEntry("outcome", "SUCCEEDED").containsEntry("exitCode", 0L);
  }

  @Test
  void strict_deniedOverTheSocket_isConsentDenied_nothingRuns_andTheSlotIsFree() throws Exception {
    startEngine(policy(ConsentMode.STRICT), NO_SANDBOX);
    FakeHub.Stream s = welcomedQuietly();
    assign(s, shell("d-1", "touch", "never"));
    assertThat(s.next().hasAwaitingConsent()).isTrue();

    assertThat(owner().deny(pendingId("d-1"))).containsEntry("verdict", "DENIED");

    assertRejected(s, "d-1", RejectReason.REJECT_REASON_CONSENT_DENIED);
    assertThat(s.all()).noneMatch(NodeFrame::hasTaskAccepted).noneMatch(NodeFrame::hasTaskStarted);
    List<AuditRecord> audit = recordsEndingWith("d-1", AuditTypes.TASK_REJECTED);
    assertThat(fields(audit, AuditTypes.CONSENT_DECIDED)).containsEntry("verdict", "DENIED");
    assertThat(fields(audit, AuditTypes.TASK_REJECTED)).containsEntry("reason", "CONSENT_DENIED");
    assertThat(types("d-1")).doesNotContain(AuditTypes.PROCESS_STARTED);

    // Both slots are free again (two at most): two more tasks wait side by side.
    assign(s, shell("d-2", "echo", "a"));
    assign(s, shell("d-3", "echo", "b"));
    assertThat(s.next().hasAwaitingConsent()).isTrue();
    assertThat(s.next().hasAwaitingConsent()).isTrue();
  }

  @Test
  void strict_unanswered_isConsentDenied_whenTheTimeoutPasses() throws Exception {
    consentTimeout = Duration.ofMinutes(2);
    startEngine(policy(ConsentMode.STRICT), NO_SANDBOX);
    FakeHub.Stream s = welcomedQuietly();
    assign(s, shell("t-1", "echo", "late"));
    assertThat(s.next().getAwaitingConsent().getDeadlineUnixMs()).isEqualTo(clock.millis() + 120_000);
    String id = pendingId("t-1");

    clock.advance(Duration.ofSeconds(119));
    assertThat(broker.pendingFor("t-1")).isPresent();
    clock.advance(Duration.ofSeconds(1));

    NodeFrame f = s.nextMatching(NodeFrame::hasTaskRejected);
    assertThat(f.getTaskRejected().getReason()).isEqualTo(RejectReason.REJECT_REASON_CONSENT_DENIED);
    assertThat(f.getTaskRejected().getDetail()).contains("did not answer");
    assertThat(fields(recordsEndingWith("t-1", AuditTypes.TASK_REJECTED), AuditTypes.CONSENT_DECIDED))
        .containsEntry("verdict", "TIMED_OUT").containsEntry("decidedBy", "timeout");
    assertThat(owner().approve(id)).containsEntry("ok", false);
  }

  @Test
  void autoApproveSafe_runsReadOnlyCommandsAtOnce_andAsksForWhatChangesState() throws Exception {
    startEngine(policy(ConsentMode.AUTO_APPROVE_SAFE), NO_SANDBOX);
    FakeHub.Stream s = welcomedQuietly();

    assign(s, shell("s-1", "ls"));
    assertThat(s.next().getTaskAccepted().getTaskId()).isEqualTo("s-1");
    assertThat(s.nextMatching(NodeFrame::hasTaskFinished).getTaskFinished().getOutcome())
        .isEqualTo(TaskOutcome.TASK_OUTCOME_SUCCEEDED);
    assertThat(types("s-1")).doesNotContain(AuditTypes.CONSENT_REQUESTED);

    assign(s, shell("s-2", "touch", "made-by-task"));
    assertThat(s.next().getAwaitingConsent().getTaskId()).isEqualTo("s-2");
  }

  @Test
  void auto_nobodyIsAsked_thePolicyAloneDecides() throws Exception {
    startEngine(policy(ConsentMode.AUTO), NO_SANDBOX);
    FakeHub.Stream s = welcomedQuietly();

    assign(s, shell("a-1", "touch", "made-by-task"));

    assertThat(s.next().getTaskAccepted().getTaskId()).isEqualTo("a-1");
    assertThat(s.nextMatching(NodeFrame::hasTaskFinished).getTaskFinished().getOutcome())
        .isEqualTo(TaskOutcome.TASK_OUTCOME_SUCCEEDED);
    assertThat(broker.pending()).isEmpty();
  }

  @Test
  void cancelWhileAwaitingConsent_withdrawsTheRequest_andEndsTheTaskCancelled() throws Exception {
    startEngine(policy(ConsentMode.STRICT), NO_SANDBOX);
    FakeHub.Stream s = welcomedQuietly();
    assign(s, shell("x-1", "echo", "x"));
    assertThat(s.next().hasAwaitingConsent()).isTrue();
    String id = pendingId("x-1");

    s.send(HubFrame.newBuilder().setCancel(Cancel.newBuilder().setTaskId("x-1").setReason("user gave up")).build());

    TaskFinished f = s.nextMatching(NodeFrame::hasTaskFinished).getTaskFinished();
    assertThat(f.getOutcome()).isEqualTo(TaskOutcome.TASK_OUTCOME_CANCELLED);
    assertThat(f.getDetail()).contains("awaiting the owner's consent").contains("user gave up");
    assertThat(owner().list()).isEmpty();
    assertThat(owner().approve(id)).containsEntry("ok", false);
    List<AuditRecord> audit = recordsEndingWith("x-1", AuditTypes.PROCESS_EXITED);
    assertThat(fields(audit, AuditTypes.CONSENT_DECIDED)).containsEntry("verdict", "WITHDRAWN");
    assertThat(fields(audit, AuditTypes.PROCESS_EXITED)).containsEntry("outcome", "CANCELLED").containsEntry("started", false);
  }

  @Test
  void aDecisionTakenWhileTheHubIsAway_reachesItAfterTheReconnect() throws Exception {
    startEngine(policy(ConsentMode.STRICT), NO_SANDBOX);
    FakeHub.Stream s = welcomedQuietly();
    assign(s, shell("r-1", "echo", "x"));
    assertThat(s.next().hasAwaitingConsent()).isTrue();

    s.fail(Status.UNAVAILABLE.withDescription("hub restarts"));
    Await.until("disconnected", () -> !agent.isConnected());
    owner().deny(pendingId("r-1"));
    awaitRetryScheduled(1); // the answer cancelled the consent timeout: the retry is the only timer
    clock.advance(Duration.ofSeconds(1));

    FakeHub.Stream s2 = hub.nextStream(WAIT);
    // The task still holds its slot, so the hub keeps it instead of calling it lost.
    assertThat(s2.next().getHello().getResumeList()).extracting(r -> r.getTaskId()).containsExactly("r-1");
    s2.welcome(NODE_ID, QUIET_HEARTBEAT_MS);
    s2.ack("r-1", 0);
    assertRejected(s2, "r-1", RejectReason.REJECT_REASON_CONSENT_DENIED);
  }
}
