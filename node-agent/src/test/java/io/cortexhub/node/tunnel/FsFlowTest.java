package io.cortexhub.node.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortexhub.node.audit.AuditRecord;
import io.cortexhub.node.audit.AuditTypes;
import io.cortexhub.node.policy.ConsentMode;
import io.cortexhub.node.policy.NodePolicy;
import io.cortexhub.node.policy.WorkspaceRoot;
import io.cortexhub.node.sandbox.IsolationReport;
import io.cortexhub.node.testing.FakeHub;
import io.cortexhub.node.testing.TestPolicies;
import io.cortexhub.proto.node.v1.FsDelete;
import io.cortexhub.proto.node.v1.FsPayload;
import io.cortexhub.proto.node.v1.FsRead;
import io.cortexhub.proto.node.v1.FsWrite;
import io.cortexhub.proto.node.v1.NodeFrame;
import io.cortexhub.proto.node.v1.RejectReason;
import io.cortexhub.proto.node.v1.TaskOutcome;
import io.cortexhub.proto.node.v1.TaskRejected;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * File operations through the whole flow, and the agent's own files out of every task's reach: the
 * state directory and the policy file lie inside a read-only root here, which does not make them
 * reachable.
 */
class FsFlowTest extends EngineTestBase {
  private static final IsolationReport NO_SANDBOX = IsolationReport.none(true, "tests run processes unconfined");
  private static final String ORIGINAL_POLICY = "version: 1\nconsent: auto\n";

  private Path ws;
  private Path policyFile;

  @BeforeEach
  void layout() throws Exception {
    ws = Files.createDirectories(dir.resolve("ws")).toRealPath();
    policyFile = Files.createDirectories(dir.resolve("etc")).resolve("policy.yaml");
    Files.writeString(policyFile, ORIGINAL_POLICY);
  }

  private NodePolicy policy(ConsentMode mode) throws Exception {
    return TestPolicies.allowing(List.of(), "cat")
        .withWorkspaceRoots(List.of(new WorkspaceRoot(ws, true), new WorkspaceRoot(dir.toRealPath(), false)))
        .withConsentMode(mode);
  }

  private static FsPayload write(String path, String data) {
    return FsPayload.newBuilder()
        .setWrite(FsWrite.newBuilder().setPath(path).setData(utf8(data)).setCreateParents(true))
        .build();
  }

  private static String sha256(String s) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aWrite_runsEndToEnd_andEachChangeIsAuditedWithTheHashesBeforeAndAfter() throws Exception {
    startEngine(policy(ConsentMode.AUTO), NO_SANDBOX, policyFile);
    FakeHub.Stream s = welcomedQuietly();

    assign(s, fs("f-1", write("notes/a.txt", "hello")));
    assertThat(s.next().getTaskAccepted().getTaskId()).isEqualTo("f-1");
    assertThat(s.nextMatching(NodeFrame::hasTaskFinished).getTaskFinished().getOutcome())
        .isEqualTo(TaskOutcome.TASK_OUTCOME_SUCCEEDED);
    assign(s, fs("f-2", write(ws.resolve("notes/a.txt").toString(), "hello again")));
    assertThat(s.nextMatching(f -> f.hasTaskFinished() && f.getTaskFinished().getTaskId().equals("f-2"))
        .getTaskFinished().getOutcome()).isEqualTo(TaskOutcome.TASK_OUTCOME_SUCCEEDED);

    assertThat(ws.resolve("notes/a.txt")).hasContent("hello again");
    Map<String, Object> first = fields(recordsEndingWith("f-1", AuditTypes.PROCESS_EXITED), AuditTypes.FILE_CHANGED);
    assertThat(first).containsEntry("path", ws.resolve("notes/a.txt").toString())
        .containsEntry("sha256After", sha256("hello")).doesNotContainKey("sha256Before");
    Map<String, Object> second = fields(recordsEndingWith("f-2", AuditTypes.PROCESS_EXITED), AuditTypes.FILE_CHANGED);
    assertThat(second).containsEntry("sha256Before", sha256("hello")).containsEntry("sha256After", sha256("hello again"));
    assertThat(fields(records("f-1"), AuditTypes.PROCESS_STARTED))
        .containsEntry("operation", List.of("fs:write", ws.resolve("notes/a.txt").toString()));
  }

  @Test
  void aTaskWritingThePolicyFile_isRefused_andAuditedAsAnAttemptToChangeThePolicy() throws Exception {
    startEngine(policy(ConsentMode.AUTO), NO_SANDBOX, policyFile);
    FakeHub.Stream s = welcomedQuietly();

    assign(s, fs("pw-1", write(policyFile.toString(), "version: 1\nconsent: auto\ncommands: [{path: /bin/sh, interpreter: true}]\n")));

    TaskRejected r = s.next().getTaskRejected();
    assertThat(r.getReason()).isEqualTo(RejectReason.REJECT_REASON_POLICY);
    assertThat(r.getDetail()).contains(policyFile.toString()).contains("belongs to the agent itself");
    assertThat(policyFile).hasContent(ORIGINAL_POLICY);
    List<AuditRecord> audit = recordsEndingWith("pw-1", AuditTypes.TASK_REJECTED);
    assertThat(fields(audit, AuditTypes.POLICY_CHANGE_REFUSED))
        .containsEntry("what", "fs write " + policyFile)
        .containsEntry("protected", policyFile.toString());
    assertThat(fields(audit, AuditTypes.TASK_REJECTED)).containsEntry("reason", "POLICY");

    // Deleting a directory that holds the state directory would reach it as well.
    assign(s, fs("pw-2", FsPayload.newBuilder().setDelete(FsDelete.newBuilder().setPath(dir.toString()).setRecursive(true)).build()));
    assertThat(s.next().getTaskRejected().getReason()).isEqualTo(RejectReason.REJECT_REASON_POLICY);
    assertThat(fields(recordsEndingWith("pw-2", AuditTypes.TASK_REJECTED), AuditTypes.POLICY_CHANGE_REFUSED))
        .containsEntry("protected", state.toString());
  }

  @Test
  void theAgentsOwnFiles_cannotBeRead_evenInsideAWorkspaceRoot() throws Exception {
    startEngine(policy(ConsentMode.AUTO), NO_SANDBOX, policyFile);
    FakeHub.Stream s = welcomedQuietly();

    assign(s, fs("r-1", FsPayload.newBuilder().setRead(FsRead.newBuilder().setPath(auditFile.toString())).build()));
    assertThat(s.next().getTaskRejected().getReason()).isEqualTo(RejectReason.REJECT_REASON_POLICY);
    assertThat(fields(recordsEndingWith("r-1", AuditTypes.TASK_REJECTED), AuditTypes.POLICY_REFUSED))
        .containsEntry("protected", state.toString());

    assign(s, shell("r-2", "cat", "../../state/audit.log"));
    TaskRejected r = s.next().getTaskRejected();
    assertThat(r.getReason()).isEqualTo(RejectReason.REJECT_REASON_POLICY);
    assertThat(r.getDetail()).contains(auditFile.toString());
    assertThat(types("r-2")).contains(AuditTypes.POLICY_CHANGE_REFUSED);
    assertThat(s.all()).noneMatch(NodeFrame::hasTaskAccepted);
  }

  @Test
  void strict_aFileChangeWaitsForTheOwner_butAReadRunsAtOnce() throws Exception {
    startEngine(policy(ConsentMode.STRICT), NO_SANDBOX, policyFile);
    FakeHub.Stream s = welcomedQuietly();
    Files.writeString(ws.resolve("readme"), "read me");

    assign(s, fs("sr-1", FsPayload.newBuilder().setRead(FsRead.newBuilder().setPath("readme")).build()));
    assertThat(s.next().getTaskAccepted().getTaskId()).isEqualTo("sr-1");
    assertThat(s.nextMatching(NodeFrame::hasOutput).getOutput().getData().toStringUtf8()).isEqualTo("read me");

    assign(s, fs("sw-1", write("readme", "changed")));
    String prompt = s.nextMatching(NodeFrame::hasAwaitingConsent).getAwaitingConsent().getPrompt();
    assertThat(prompt).contains("fs:write").contains(ws.resolve("readme").toString()).contains("write 7 bytes to");
    owner().approve(pendingId("sw-1"));
    assertThat(s.nextMatching(f -> f.hasTaskFinished() && f.getTaskFinished().getTaskId().equals("sw-1"))
        .getTaskFinished().getOutcome()).isEqualTo(TaskOutcome.TASK_OUTCOME_SUCCEEDED);
    assertThat(ws.resolve("readme")).hasContent("changed");
  }
}
