package io.cortexhub.node.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cortexhub.node.testing.FakeHub;
import io.cortexhub.node.verify.FileReplayCache;
import io.cortexhub.node.verify.InMemoryReplayCache;
import io.cortexhub.proto.node.v1.NodeFrame;
import io.cortexhub.proto.node.v1.RejectReason;
import io.cortexhub.proto.node.v1.TaskAssignment;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The agent's side of the security contract, end to end through the tunnel: signatures, replays
 * (also across an agent restart with the same state directory) and session-token grants.
 */
class NodeAgentSecurityTest extends AgentTestBase {
  @Test
  void flippedByte_isRejectedAsBadSignature() throws Exception {
    start(settings());
    FakeHub.Stream s = welcomed();
    TaskAssignment good = SIGNER.assignment(echo("t-9", "hello").build());
    byte[] bytes = good.getTask().toByteArray();
    bytes[bytes.length - 1] ^= 0x01;
    s.assign(good.toBuilder().setTask(ByteString.copyFrom(bytes)).build());
    assertRejected(s, "t-9", RejectReason.REJECT_REASON_BAD_SIGNATURE);
    assertThat(metrics.accepted()).isZero();
  }

  @Test
  void replayedAssignment_isRejectedAsReplayed() throws Exception {
    start(settings());
    FakeHub.Stream s = welcomed();
    TaskAssignment a = SIGNER.assignment(echo("t-10", "once").build());
    s.assign(a);
    s.nextMatching(NodeFrame::hasTaskFinished);
    s.ack("t-10", 1);
    finishedAck(s, "t-10");
    s.assign(a);
    assertRejected(s, "t-10", RejectReason.REJECT_REASON_REPLAYED);
  }

  @Test
  void beforeTheSessionToken_nothingIsGranted() throws Exception {
    start(settings());
    FakeHub.Stream s = welcomedWithoutToken();
    assign(s, echo("g-1", "x"));
    NodeFrame f = s.nextMatching(NodeFrame::hasTaskRejected);
    assertThat(f.getTaskRejected().getReason()).isEqualTo(RejectReason.REJECT_REASON_UNSUPPORTED);
    assertThat(f.getTaskRejected().getDetail()).contains("capability echo is not granted to this node");
  }

  @Test
  void sessionToken_grantsCapabilities_andReachesTheListener() throws Exception {
    start(settings());
    FakeHub.Stream s = welcomedWithoutToken();
    s.grant("echo");
    assign(s, shellTask("g-2"));
    NodeFrame f = s.nextMatching(NodeFrame::hasTaskRejected);
    assertThat(f.getTaskRejected().getReason()).isEqualTo(RejectReason.REJECT_REASON_UNSUPPORTED);
    assertThat(f.getTaskRejected().getDetail()).isEqualTo("capability shell is not granted to this node");
    assign(s, echo("g-3", "x"));
    assertThat(s.next().getTaskAccepted().getTaskId()).isEqualTo("g-3");
    assertThat(tokens).hasSize(1);
    assertThat(tokens.get(0).getGrantedCapabilitiesList()).containsExactly("echo");
  }

  @Test
  void aNewSession_startsWithoutTheOldGrant() throws Exception {
    start(settings());
    FakeHub.Stream s1 = welcomed();
    s1.fail(Status.UNAVAILABLE);
    awaitRetryScheduled(1);
    clock.advance(Duration.ofSeconds(1));
    FakeHub.Stream s2 = welcomedWithoutToken();
    assign(s2, echo("g-4", "x"));
    assertThat(s2.nextMatching(NodeFrame::hasTaskRejected).getTaskRejected().getReason())
        .isEqualTo(RejectReason.REJECT_REASON_UNSUPPORTED);
    s2.grant("echo");
    assign(s2, echo("g-5", "x"));
    assertThat(s2.nextMatching(f -> f.hasTaskAccepted() || f.hasTaskRejected()).hasTaskAccepted()).isTrue();
  }

  @Test
  void replayedNonce_isRefusedAfterAnAgentRestart_withTheSameStateDir() throws Exception {
    Path cacheFile = dir.resolve("state").resolve("replay-cache.bin");
    java.nio.file.Files.createDirectories(cacheFile.getParent());
    var log = io.cortexhub.node.logging.AgentLog.of(NodeAgentSecurityTest.class, io.cortexhub.node.logging.LogContext.ofNode("t"));
    FileReplayCache first = FileReplayCache.open(cacheFile, clock, log);
    start(settings(), new NodeSecurity(SIGNER.verifier(), first, tokens::add));
    FakeHub.Stream s1 = welcomed();
    TaskAssignment a = SIGNER.assignment(echo("once", "x").build());
    s1.assign(a);
    assertThat(s1.next().hasTaskAccepted()).isTrue();
    s1.nextMatching(NodeFrame::hasTaskFinished);
    agent.shutdown().get(5, TimeUnit.SECONDS);
    first.close();

    // A new agent process: new ledger, new memory; only the state directory survived.
    FileReplayCache second = FileReplayCache.open(cacheFile, clock, log);
    grpc.onClose(second::close);
    start(settings(), new NodeSecurity(SIGNER.verifier(), second, tokens::add));
    FakeHub.Stream s2 = welcomed();
    s2.assign(a);
    NodeFrame f = s2.nextMatching(NodeFrame::hasTaskRejected);
    assertThat(f.getTaskRejected().getReason()).isEqualTo(RejectReason.REJECT_REASON_REPLAYED);
    assertThat(f.getTaskRejected().getDetail()).contains("nonce");
  }


  @Test
  void theCertificatesNodeId_decides_notTheWelcome() throws Exception {
    start(settings(), new NodeSecurity(SIGNER.verifier(), new InMemoryReplayCache(clock), tokens::add, Optional.of("n-cert")));
    assertThat(agent.nodeId()).contains("n-cert");
    FakeHub.Stream s = welcomed(); // as NODE_ID, which is not what the certificate says
    assign(s, echo("w-1", "x")); // for NODE_ID
    assertRejected(s, "w-1", RejectReason.REJECT_REASON_WRONG_NODE);
    assign(s, echo("w-2", "x").setNodeId("n-cert"));
    assertThat(s.nextMatching(f -> f.hasTaskAccepted() || f.hasTaskRejected()).hasTaskAccepted()).isTrue();
  }
}
