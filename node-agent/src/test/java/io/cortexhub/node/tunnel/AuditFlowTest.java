package io.cortexhub.node.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortexhub.node.audit.AuditRecord;
import io.cortexhub.node.audit.AuditTypes;
import io.cortexhub.node.audit.Checkpoint;
import io.cortexhub.node.policy.ConsentMode;
import io.cortexhub.node.policy.NodePolicy;
import io.cortexhub.node.sandbox.IsolationLevel;
import io.cortexhub.node.sandbox.IsolationReport;
import io.cortexhub.node.testing.FakeHub;
import io.cortexhub.node.testing.TestPolicies;
import io.cortexhub.proto.node.v1.AuditCheckpoint;
import io.cortexhub.proto.node.v1.AuditCheckpointAck;
import io.cortexhub.proto.node.v1.AuditQuery;
import io.cortexhub.proto.node.v1.AuditRecords;
import io.cortexhub.proto.node.v1.HubFrame;
import io.cortexhub.proto.node.v1.NodeFrame;
import io.cortexhub.proto.node.v1.RejectReason;
import io.cortexhub.proto.node.v1.TaskOutcome;
import io.cortexhub.proto.node.v1.TaskRejected;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The audit log as the task flow and the hub use it: policy refusals reach the hub as POLICY and
 * are audited, the hub fetches one task's records with AuditQuery, and signed checkpoints are sent
 * and resent after a reconnect until the hub acknowledges them.
 */
class AuditFlowTest extends EngineTestBase {
  private static final IsolationReport NO_SANDBOX = IsolationReport.none(true, "tests run processes unconfined");

  private NodePolicy autoPolicy() {
    return TestPolicies.allowing(List.of(dir), "echo").withConsentMode(ConsentMode.AUTO);
  }

  @Test
  void aCommandThePolicyRefuses_reachesTheHubAsPolicy_beforeAnyAcceptance_andIsAudited() throws Exception {
    startEngine(autoPolicy(), NO_SANDBOX);
    FakeHub.Stream s = welcomedQuietly();

    assign(s, shell("p-1", "cat", "/etc/hostname"));

    TaskRejected r = s.next().getTaskRejected();
    assertThat(r.getTaskId()).isEqualTo("p-1");
    assertThat(r.getReason()).isEqualTo(RejectReason.REJECT_REASON_POLICY);
    assertThat(r.getDetail()).contains("which no command rule of the policy allows");
    List<AuditRecord> audit = recordsEndingWith("p-1", AuditTypes.TASK_REJECTED);
    assertThat(audit).extracting(AuditRecord::type).containsExactly(
        AuditTypes.TASK_RECEIVED, AuditTypes.TASK_VERIFIED, AuditTypes.POLICY_REFUSED, AuditTypes.TASK_REJECTED);
    assertThat(fields(audit, AuditTypes.POLICY_REFUSED)).containsEntry("argv", List.of("cat", "/etc/hostname"));
    assertThat(fields(audit, AuditTypes.TASK_REJECTED)).containsEntry("reason", "POLICY");
    assertThat(s.all()).noneMatch(NodeFrame::hasTaskAccepted);
    assertThat(settings().taskDir("p-1")).doesNotExist();
  }

  @Test
  void onAMachineBelowThePolicysMinimumIsolation_shellTasksAreRefusedAsPolicy_withTheReason() throws Exception {
    startEngine(autoPolicy().withMinimumIsolation(IsolationLevel.BUBBLEWRAP), NO_SANDBOX);
    FakeHub.Stream s = welcomedQuietly();

    assign(s, shell("i-1", "echo", "hi"));

    TaskRejected r = s.next().getTaskRejected();
    assertThat(r.getReason()).isEqualTo(RejectReason.REJECT_REASON_POLICY);
    assertThat(r.getDetail()).contains("requires isolation bubblewrap but this machine offers only none");
    assertThat(fields(recordsEndingWith("i-1", AuditTypes.TASK_REJECTED), AuditTypes.POLICY_REFUSED))
        .containsKey("reason");
    // In-agent work is not a process to isolate: echo still runs.
    assign(s, echo("i-2", "still here"));
    assertThat(s.next().getTaskAccepted().getTaskId()).isEqualTo("i-2");
  }

  @Test
  void aRejectionBeforeVerification_isAuditedWithWhatArrived() throws Exception {
    startEngine(autoPolicy(), NO_SANDBOX);
    FakeHub.Stream s = welcomedQuietly();

    s.assign(SIGNER.assignment(echo("forged", "x").build().toByteString()).toBuilder()
        .setSignature(com.google.protobuf.ByteString.copyFrom(new byte[64])).build());

    assertRejected(s, "forged", RejectReason.REJECT_REASON_BAD_SIGNATURE);
    List<AuditRecord> audit = recordsEndingWith("forged", AuditTypes.TASK_REJECTED);
    assertThat(audit).extracting(AuditRecord::type).containsExactly(AuditTypes.TASK_RECEIVED, AuditTypes.TASK_REJECTED);
    assertThat(fields(audit, AuditTypes.TASK_RECEIVED)).containsEntry("signed", true).containsKey("sha256");
    assertThat(fields(audit, AuditTypes.TASK_REJECTED)).containsEntry("reason", "BAD_SIGNATURE");
  }

  @Test
  void theHubFetchesOneTasksRecords_withAuditQuery() throws Exception {
    startEngine(autoPolicy(), NO_SANDBOX);
    FakeHub.Stream s = welcomedQuietly();
    assign(s, shell("q-1", "echo", "one"));
    assign(s, echo("q-2", "two"));
    assertThat(s.nextMatching(f -> f.hasTaskFinished() && f.getTaskFinished().getTaskId().equals("q-1"))
        .getTaskFinished().getOutcome()).isEqualTo(TaskOutcome.TASK_OUTCOME_SUCCEEDED);
    recordsEndingWith("q-1", AuditTypes.PROCESS_EXITED);

    s.send(HubFrame.newBuilder().setAuditQuery(AuditQuery.newBuilder().setQueryId("aq-1").setTaskId("q-1")).build());

    AuditRecords answer = s.nextMatching(NodeFrame::hasAuditRecords).getAuditRecords();
    assertThat(answer.getQueryId()).isEqualTo("aq-1");
    assertThat(answer.getLast()).isTrue();
    assertThat(answer.getError()).isEmpty();
    List<AuditRecord> got = answer.getRecordsList().stream().map(AuditRecord::parse).toList();
    assertThat(got).extracting(AuditRecord::type).containsExactly(
        AuditTypes.TASK_RECEIVED, AuditTypes.TASK_VERIFIED, AuditTypes.PROCESS_STARTED, AuditTypes.PROCESS_EXITED);
    assertThat(got).allMatch(r -> r.taskId().equals("q-1"));
    assertThat(answer.getRecordsList()).isEqualTo(trail.recordsForTask("q-1").get());

    s.send(HubFrame.newBuilder().setAuditQuery(AuditQuery.newBuilder().setQueryId("aq-2").setTaskId("unknown")).build());
    AuditRecords none = s.nextMatching(NodeFrame::hasAuditRecords).getAuditRecords();
    assertThat(none.getQueryId()).isEqualTo("aq-2");
    assertThat(none.getRecordsList()).isEmpty();
    assertThat(none.getLast()).isTrue();

    s.send(HubFrame.newBuilder().setAuditQuery(AuditQuery.newBuilder().setQueryId("aq-3")).build());
    AuditRecords refused = s.nextMatching(NodeFrame::hasAuditRecords).getAuditRecords();
    assertThat(refused.getError()).isEqualTo("task_id is required");
    assertThat(refused.getLast()).isTrue();
  }

  @Test
  void largeAnswers_areSplitIntoFramesOfBoundedSize_theLastMarked() {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      lines.add("x".repeat(300) + i);
    }
    List<AuditRecords> frames = AuditExchange.chunks("q", lines, 1000);
    assertThat(frames).hasSize(4);
    assertThat(frames).allMatch(f -> f.getQueryId().equals("q"));
    assertThat(frames.subList(0, 3)).allMatch(f -> !f.getLast() && f.getRecordsCount() == 3);
    assertThat(frames.get(3).getLast()).isTrue();
    assertThat(frames.stream().flatMap(f -> f.getRecordsList().stream()).toList()).isEqualTo(lines);
    assertThat(AuditExchange.chunks("q", List.of("y".repeat(5000)), 1000)).singleElement()
        .matches(f -> f.getLast() && f.getRecordsCount() == 1);
    assertThat(AuditExchange.chunks("q", List.of(), 1000)).singleElement().matches(f -> f.getLast() && f.getRecordsCount() == 0);
  }

  @Test
  void checkpoints_areSentSigned_andTheLatestUnacknowledgedIsResentAfterAReconnect_untilAcknowledged() throws Exception {
    checkpointEvery = 4;
    startEngine(autoPolicy(), NO_SANDBOX);
    FakeHub.Stream s = welcomedQuietly();
    assign(s, echo("k-1", "four records: received, verified, started, exited"));

    AuditCheckpoint cp = s.nextMatching(NodeFrame::hasAuditCheckpoint).getAuditCheckpoint();
    assertThat(cp.getTreeSize()).isEqualTo(4);
    assertThat(cp.getSignatureAlgorithm()).isEqualTo("SHA256withECDSA");
    Checkpoint inLog = auditLog.latestCheckpoint().orElseThrow();
    assertThat(cp.getRootHash().toByteArray()).isEqualTo(inLog.rootHash());
    Checkpoint sent = new Checkpoint(cp.getTreeSize(), cp.getRootHash().toByteArray(), cp.getLastRecordHash().toByteArray(),
        cp.getCreatedAtUnixMs(), cp.getSignature().toByteArray(), cp.getSignatureAlgorithm());
    assertThat(sent.verify(nodeKeys.getPublic())).isTrue();

    FakeHub.Stream s2 = reconnect(s);
    assertThat(s2.nextMatching(NodeFrame::hasAuditCheckpoint).getAuditCheckpoint()).isEqualTo(cp);
    s2.send(HubFrame.newBuilder().setAuditCheckpointAck(AuditCheckpointAck.newBuilder().setTreeSize(4)).build());

    FakeHub.Stream s3 = reconnect(s2);
    // Acknowledged: the first frame of the new session is the next task's, not the old checkpoint.
    assign(s3, echo("k-2", "after the ack"));
    assertThat(s3.next().getTaskAccepted().getTaskId()).isEqualTo("k-2");
  }

  private FakeHub.Stream reconnect(FakeHub.Stream s) throws Exception {
    int before = backoff.delays.get();
    s.fail(Status.UNAVAILABLE.withDescription("hub restarts"));
    awaitRetryScheduled(before + 1);
    clock.advance(Duration.ofSeconds(1));
    return welcomedQuietly();
  }
}
