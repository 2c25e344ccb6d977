package io.cortexhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.cortexhub.e2e.support.Await;
import io.cortexhub.e2e.support.HubClient;
import io.cortexhub.e2e.support.Pki;
import io.cortexhub.e2e.support.RawTunnelClient;
import io.cortexhub.e2e.support.RawTunnelClient.Conversation;
import io.cortexhub.e2e.support.NodeProcess;
import io.cortexhub.e2e.support.Stack;
import io.cortexhub.e2e.support.TestPolicy;
import io.cortexhub.e2e.support.TunnelIdentity;
import io.cortexhub.proto.node.v1.Heartbeat;
import io.cortexhub.proto.node.v1.Hello;
import io.cortexhub.proto.node.v1.Manifest;
import io.cortexhub.proto.node.v1.NodeFrame;
import io.cortexhub.proto.node.v1.OutputChunk;
import io.grpc.Status;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad input on the tunnel of a real hub: each gets a clear refusal, the hub stays up, and what it already
 * stored is intact. Bad frames come from an identity enrolled through the real Enroll RPC, so they pass
 * the hub's mutual TLS and reach the session; bad identities (no certificate, a certificate from another
 * CA, an expired one, a revoked node) are refused before any session exists, with a reason.
 */
class TunnelBadInputIT {
  private static final Duration REFUSAL = Duration.ofSeconds(15);

  private static Stack stack;
  private static HubClient hub;
  private static String storedTaskId;
  private static String storedTaskJson;
  private static TunnelIdentity identity;
  private static RawTunnelClient tunnel;

  @BeforeAll
  static void startHubWithOneFinishedTask() {
    stack = Stack.startForTest("tunnel-bad-input");
    hub = stack.client();
    String nodeId = stack.attachNode("good-node",
        NodeProcess.Options.defaults().withPolicy(TestPolicy.autoConsent().allowing("/usr/bin/echo")), "default");
    storedTaskId = hub.submitShell(nodeId, Duration.ofSeconds(30), "echo", "kept").path("id").asText();
    storedTaskJson = stack.awaitFinal(storedTaskId, Duration.ofSeconds(60)).toString();
    identity = TunnelIdentity.enroll(stack.hub(), hub, "default", "raw-client");
    tunnel = RawTunnelClient.as(stack.hub(), identity);
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

  @Test
  void noClientCertificate_isRefusedUnauthenticated() {
    try (RawTunnelClient anonymous = RawTunnelClient.anonymous(stack.hub())) {
      Status status = helloAndEnd(anonymous, "no-certificate");

      assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(status.getDescription()).contains("client certificate is required");
    }
    assertThat(hub.nodeNamed("no-certificate")).isEmpty();
  }

  @Test
  void certificateFromAnotherCa_withTheHubCasName_isRefusedUnauthenticated() {
    // Same issuer name as the hub's CA and a real node's id: only the signature can tell them apart.
    Pki.Ca impostor = Pki.newCa(stack.hub().secrets().issuingCa().certificate().getSubjectX500Principal());
    KeyPair keys = Pki.newEcKeyPair();
    Instant now = Instant.now();
    X509Certificate forged = Pki.nodeCertificate(
        impostor, keys.getPublic(), identity.nodeId(), "default", now.minusSeconds(60), now.plusSeconds(3600));

    try (RawTunnelClient client = RawTunnelClient.presenting(stack.hub(), keys.getPrivate(), List.of(forged))) {
      Status status = helloAndEnd(client, "other-ca");

      assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(status.getDescription()).contains("not issued by a CA this hub trusts");
    }
    assertThat(stack.hub().logs()).contains("certificate refused (UNTRUSTED_ISSUER)");
  }

  @Test
  void expiredCertificate_fromTheHubsOwnCa_isRefusedUnauthenticated_andSaysReEnroll() {
    Pki.Ca hubCa = stack.hub().secrets().issuingCa();
    KeyPair keys = Pki.newEcKeyPair();
    Instant now = Instant.now();
    X509Certificate expired = Pki.nodeCertificate(
        hubCa, keys.getPublic(), identity.nodeId(), "default", now.minusSeconds(7200), now.minusSeconds(3600));

    try (RawTunnelClient client = RawTunnelClient.presenting(stack.hub(), keys.getPrivate(), List.of(expired))) {
      Status status = helloAndEnd(client, "expired");

      assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(status.getDescription()).contains("expired").contains("re-enroll");
    }
  }

  @Test
  void revokedNode_liveStreamIsClosedPermissionDenied_andReconnectingIsRefused() {
    TunnelIdentity doomed = TunnelIdentity.enroll(stack.hub(), hub, "default", "to-be-revoked");
    try (RawTunnelClient client = RawTunnelClient.as(stack.hub(), doomed)) {
      Conversation live = client.open();
      live.send(NodeFrame.newBuilder().setHello(hello("to-be-revoked")).build());
      Await.until("welcome", REFUSAL, () -> live.received().stream().anyMatch(f -> f.hasWelcome()));

      assertThat(hub.revokeNode(doomed.nodeId(), "laptop lost").status()).isEqualTo(204);

      Status closed = live.awaitEnd(REFUSAL);
      assertThat(closed.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
      assertThat(closed.getDescription()).contains("node revoked");
      Status again = helloAndEnd(client, "to-be-revoked");
      assertThat(again.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
      assertThat(again.getDescription()).contains("node revoked");
    }
    assertThat(stack.hub().logs()).contains("certificate refused (REVOKED)");
  }

  /** Opens a stream on {@code client}, says Hello, and returns the status the hub ended it with. */
  private static Status helloAndEnd(RawTunnelClient client, String name) {
    Conversation stream = client.open();
    stream.send(NodeFrame.newBuilder().setHello(hello(name)).build());
    return stream.awaitEnd(REFUSAL);
  }

  private static Hello.Builder hello(String name) {
    return Hello.newBuilder()
        .setProtocolVersion(1)
        .setNodeName(name)
        .setInstanceId("raw-" + name)
        .setManifest(Manifest.newBuilder().setAgentVersion("test").setMaxConcurrentTasks(1));
  }
}
