package io.cortexhub.hub.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortexhub.hub.connector.outbound.GrpcNodeConnectionFactory;
import io.cortexhub.hub.testing.FakeClock;
import io.cortexhub.proto.node.v1.Heartbeat;
import io.cortexhub.proto.node.v1.HubFrame;
import io.cortexhub.proto.node.v1.NodeFrame;
import io.cortexhub.proto.node.v1.OutputChunk;
import io.cortexhub.proto.node.v1.OutputStream;
import io.cortexhub.proto.node.v1.TaskAccepted;
import io.cortexhub.proto.node.v1.TaskFinished;
import io.cortexhub.proto.node.v1.TaskOutcome;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TunnelSessionTest {
  private final RecordingListener listener = new RecordingListener();
  private final GrpcNodeConnectionFactory connections = new GrpcNodeConnectionFactory();
  private final FakeClock clock = new FakeClock();
  private NodeTunnelService service;
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    service = new NodeTunnelService(listener, connections, clock, Duration.ofSeconds(5),
        4 * 1024 * 1024, 16);
    server = InProcessServerBuilder.forName(name).directExecutor().addService(service).build()
        .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void hello_isAnsweredWithWelcome_andHeartbeatWithAck() throws Exception {
    TestNode node = new TestNode(channel).sendHello("alpha");

    HubFrame welcome = node.nextFrame();
    assertThat(welcome.getWelcome().getNodeId()).isEqualTo("id-alpha");
    assertThat(welcome.getWelcome().getProtocolVersion()).isEqualTo(1);
    assertThat(welcome.getWelcome().getHeartbeatIntervalMs()).isEqualTo(5000);
    assertThat(welcome.getWelcome().getMaxFrameBytes()).isEqualTo(4 * 1024 * 1024);

    node.send(NodeFrame.newBuilder().setHeartbeat(Heartbeat.newBuilder().setSentAtUnixMs(77))
        .build());
    HubFrame ack = node.nextFrame();
    assertThat(ack.getHeartbeatAck().getEchoSentAtUnixMs()).isEqualTo(77);
    assertThat(ack.getHeartbeatAck().getHubTimeUnixMs()).isEqualTo(clock.millis());
    assertThat(listener.events).containsExactly("hello alpha", "opened id-alpha resume=0",
        "heartbeat id-alpha");
    assertThat(connections.connectionTo(new io.cortexhub.hub.registry.NodeId("id-alpha")))
        .isPresent();
  }

  @Test
  void frameBeforeHello_isRefusedWithFailedPrecondition() throws Exception {
    TestNode node = new TestNode(channel)
        .send(NodeFrame.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance()).build());

    Status s = node.awaitStatus();
    assertThat(s.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(s.getDescription()).contains("first frame must be Hello");
    assertThat(listener.events).isEmpty();
  }

  @Test
  void unsupportedProtocolVersion_isRefusedNamingTheSupportedOne() throws Exception {
    TestNode node = new TestNode(channel).send(NodeFrame.newBuilder()
        .setHello(TestNode.hello("alpha").setProtocolVersion(2)).build());

    Status s = node.awaitStatus();
    assertThat(s.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(s.getDescription()).contains("unsupported protocol version 2")
        .contains("version 1");
  }

  @Test
  void emptyFrame_isRefusedAsInvalid() throws Exception {
    TestNode node = new TestNode(channel).send(NodeFrame.getDefaultInstance());

    assertThat(node.awaitStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void malformedHello_isRefusedNamingTheField() throws Exception {
    TestNode badName = new TestNode(channel).sendHello("no spaces allowed");
    Status s = badName.awaitStatus();
    assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(s.getDescription()).contains("node_name");

    TestNode noSlots = new TestNode(channel).send(NodeFrame.newBuilder().setHello(
        TestNode.hello("beta").setManifest(TestNode.hello("beta").getManifest().toBuilder()
            .setMaxConcurrentTasks(0))).build());
    assertThat(noSlots.awaitStatus().getDescription()).contains("max_concurrent_tasks");
  }

  @Test
  void aPolicyTheNodeMisreports_isRefusedNamingTheField_andATrueOneIsWelcomed() throws Exception {
    String policy = "version: 1\nconsent: strict\n";
    String digest = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(policy.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    var manifest = TestNode.hello("gamma").getManifest().toBuilder().setConsentMode("strict").setPolicy(policy);

    TestNode unknownMode = new TestNode(channel).send(NodeFrame.newBuilder().setHello(TestNode.hello("gamma")
        .setManifest(manifest.clone().setConsentMode("whatever").setPolicyDigest(digest))).build());
    TestNode wrongDigest = new TestNode(channel).send(NodeFrame.newBuilder().setHello(TestNode.hello("gamma")
        .setManifest(manifest.clone().setPolicyDigest("0".repeat(64)))).build());

    assertThat(unknownMode.awaitStatus().getDescription()).contains("consent_mode").contains("whatever");
    assertThat(wrongDigest.awaitStatus().getDescription())
        .contains("policy_digest is not the SHA-256 of manifest.policy");
    TestNode truthful = new TestNode(channel).send(NodeFrame.newBuilder().setHello(TestNode.hello("gamma")
        .setManifest(manifest.clone().setPolicyDigest(digest))).build());
    assertThat(truthful.nextFrame().hasWelcome()).isTrue();
  }

  @Test
  void malformedOutputFrame_endsTheSession_andTheHubServesTheNextOne() throws Exception {
    TestNode node = new TestNode(channel).sendHello("alpha");
    node.nextFrame();
    node.send(NodeFrame.newBuilder().setOutput(OutputChunk.newBuilder().setTaskId("t1")
        .setStream(OutputStream.OUTPUT_STREAM_STDOUT).setSeq(0)).build());

    Status s = node.awaitStatus();
    assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(s.getDescription()).contains("output.seq");
    assertThat(listener.events).anyMatch(e -> e.startsWith("closed id-alpha"));

    TestNode next = new TestNode(channel).sendHello("alpha");
    assertThat(next.nextFrame().hasWelcome()).isTrue();
  }

  @Test
  void secondHelloOnOneStream_isRefused() throws Exception {
    TestNode node = new TestNode(channel).sendHello("alpha");
    node.nextFrame();
    node.sendHello("alpha");

    Status s = node.awaitStatus();
    assertThat(s.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(s.getDescription()).contains("second Hello");
  }

  @Test
  void reconnectOfTheSameNode_replacesTheFirstStreamWithAborted() throws Exception {
    TestNode first = new TestNode(channel).sendHello("alpha");
    String firstSession = first.nextFrame().getWelcome().getSessionId();
    TestNode second = new TestNode(channel).sendHello("alpha");
    String secondSession = second.nextFrame().getWelcome().getSessionId();

    Status s = first.awaitStatus();
    assertThat(s.getCode()).isEqualTo(Status.Code.ABORTED);
    assertThat(s.getDescription()).contains("replaced");
    assertThat(listener.events).contains("closed id-alpha " + firstSession);
    assertThat(listener.events).doesNotContain("closed id-alpha " + secondSession);
    assertThat(connections.connectionTo(new io.cortexhub.hub.registry.NodeId("id-alpha")))
        .map(c -> c.sessionId()).contains(secondSession);

    second.send(NodeFrame.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance()).build());
    assertThat(second.nextFrame().hasHeartbeatAck()).isTrue();
  }

  @Test
  void taskEvents_reachTheListenerInOrder() throws Exception {
    TestNode node = new TestNode(channel).sendHello("alpha");
    node.nextFrame();
    node.send(NodeFrame.newBuilder().setTaskAccepted(TaskAccepted.newBuilder().setTaskId("t1"))
        .build());
    node.send(NodeFrame.newBuilder().setOutput(OutputChunk.newBuilder().setTaskId("t1")
        .setStream(OutputStream.OUTPUT_STREAM_STDOUT).setSeq(1)).build());
    node.send(NodeFrame.newBuilder().setTaskFinished(TaskFinished.newBuilder().setTaskId("t1")
        .setOutcome(TaskOutcome.TASK_OUTCOME_SUCCEEDED).setFinalSeq(1)).build());
    node.send(NodeFrame.newBuilder().setTaskFinished(TaskFinished.newBuilder().setTaskId("t2"))
        .build());

    Status s = node.awaitStatus();
    assertThat(s.getDescription()).contains("outcome");
    assertThat(listener.events).containsSubsequence("accepted t1", "output t1#1",
        "finished t1 SUCCEEDED");
  }

  @Test
  void shutdown_endsOpenStreamsWithUnavailable() throws Exception {
    TestNode node = new TestNode(channel).sendHello("alpha");
    node.nextFrame();

    service.closeAll("hub shutting down");

    Status s = node.awaitStatus();
    assertThat(s.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(service.openSessions()).isZero();
  }
}
