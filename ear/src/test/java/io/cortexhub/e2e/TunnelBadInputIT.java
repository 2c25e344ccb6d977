package io.cortexhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.cortexhub.e2e.support.Await;
import io.cortexhub.e2e.support.HubClient;
import io.cortexhub.e2e.support.RawTunnelClient;
import io.cortexhub.e2e.support.RawTunnelClient.Conversation;
import io.cortexhub.e2e.support.Stack;
import io.cortexhub.proto.node.v1.Heartbeat;
import io.cortexhub.proto.node.v1.Hello;
import io.cortexhub.proto.node.v1.Manifest;
import io.cortexhub.proto.node.v1.NodeFrame;
import io.cortexhub.proto.node.v1.OutputChunk;
import io.grpc.Status;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad input on the tunnel of a real hub: each gets a clear refusal, the hub stays up, and what it already
 * stored is intact.
 */
class TunnelBadInputIT {
  private static final Duration REFUSAL = Duration.ofSeconds(15);

  private static Stack stack;
  private static HubClient hub;
  private static String storedTaskId;
  private static String storedTaskJson;
  private static RawTunnelClient tunnel;

  @BeforeAll
  static void startHubWithOneFinishedTask() {
    stack = Stack.startForTest("tunnel-bad-input");
    hub = stack.client();
    String nodeId = stack.attachNode("good-node", Map.of(), 2);
    storedTaskId = hub.submitShell(nodeId, Duration.ofSeconds(30), "echo", "kept").path("id").asText();
    storedTaskJson = stack.awaitFinal(storedTaskId, Duration.ofSeconds(60)).toString();
    tunnel = new RawTunnelClient(stack.hub());
  }

  @AfterAll
  static void stopAll() {
    if (tunnel != null) {
      tunnel.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  @AfterEach
  void hubIsStillUp_andStoredDataIsIntact() {
    assertThat(hub.task(storedTaskId).toString()).isEqualTo(storedTaskJson);
    assertThat(hub.nodeState("good-node")).contains("ONLINE");
    JsonNode output = hub.output(storedTaskId, 1);
    assertThat(output).hasSize(1);
    assertThat(output.get(0).path("data").asText()).isEqualTo("kept\n");
  }

  @Test
  void unsupportedProtocolVersion_isRefusedWithFailedPrecondition() {
    Conversation stream = tunnel.open();
    stream.send(NodeFrame.newBuilder().setHello(hello("from-the-future").setProtocolVersion(99)).build());

    Status status = stream.awaitEnd(REFUSAL);

    assertThat(status.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(status.getDescription()).contains("99").contains("1");
    assertThat(hub.nodeNamed("from-the-future")).isEmpty();
  }

  @Test
  void frameBeforeHello_isRefused() {
    Conversation stream = tunnel.open();
    stream.send(NodeFrame.newBuilder().setHeartbeat(Heartbeat.newBuilder().setSentAtUnixMs(1)).build());

    assertThat(stream.awaitEnd(REFUSAL).getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
  }

  @Test
  void emptyFrame_isRefusedAsMalformed() {
    Conversation stream = tunnel.open();
    stream.send(NodeFrame.newBuilder().setHello(hello("empty-framer")).build());
    Await.until("welcome", REFUSAL, () -> !stream.received().isEmpty());
    stream.send(NodeFrame.getDefaultInstance());

    assertThat(stream.awaitEnd(REFUSAL).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void oversizedFrame_isRefusedWithResourceExhausted() {
    Conversation stream = tunnel.open();
    stream.send(NodeFrame.newBuilder().setHello(hello("big-talker")).build());
    Await.until("welcome", REFUSAL, () -> !stream.received().isEmpty());
    byte[] tooBig = new byte[5 * 1024 * 1024];
    stream.send(
        NodeFrame.newBuilder()
            .setOutput(OutputChunk.newBuilder().setTaskId("nope").setSeq(1).setData(ByteString.copyFrom(tooBig)))
            .build());

    assertThat(stream.awaitEnd(REFUSAL).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
  }

  @Test
  void outputForATaskTheNodeDoesNotHold_isIgnoredAndStoresNothing() {
    Conversation stream = tunnel.open();
    stream.send(NodeFrame.newBuilder().setHello(hello("impostor")).build());
    Await.until("welcome", REFUSAL, () -> !stream.received().isEmpty());
    stream.send(
        NodeFrame.newBuilder()
            .setOutput(OutputChunk.newBuilder().setTaskId(storedTaskId).setSeq(2).setData(ByteString.copyFromUtf8("forged")))
            .build());
    // A heartbeat after the forged chunk: once it is acknowledged the chunk has been processed.
    stream.send(NodeFrame.newBuilder().setHeartbeat(Heartbeat.newBuilder().setSentAtUnixMs(42)).build());
    Await.until(
        "heartbeat ack",
        REFUSAL,
        () -> stream.received().stream().anyMatch(f -> f.hasHeartbeatAck() && f.getHeartbeatAck().getEchoSentAtUnixMs() == 42)
            || stream.ended().isPresent());
    stream.close();

    assertThat(hub.output(storedTaskId, 1)).hasSize(1);
  }

  @Test
  void garbageBytesOnTheTunnelPort_doNotHurtTheHub() throws Exception {
    String[] hostPort = stack.hub().tunnelAddress().split(":");
    try (Socket socket = new Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
      OutputStream out = socket.getOutputStream();
      out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n\u0000\u0001garbage".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      socket.setSoTimeout(10_000);
      // The TLS layer refuses and closes; reading until EOF proves the hub hung up rather than hung.
      while (socket.getInputStream().read() != -1) {
        // drain
      }
    }
    assertThat(hub.nodes()).isNotEmpty();
  }

  private static Hello.Builder hello(String name) {
    return Hello.newBuilder()
        .setProtocolVersion(1)
        .setNodeName(name)
        .setInstanceId("raw-" + name)
        .setManifest(Manifest.newBuilder().setAgentVersion("test").setMaxConcurrentTasks(1));
  }
}
