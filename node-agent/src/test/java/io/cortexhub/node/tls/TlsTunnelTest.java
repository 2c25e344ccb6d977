package io.cortexhub.node.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortexhub.node.backoff.FullJitterBackoff;
import io.cortexhub.node.manifest.HostFacts;
import io.cortexhub.node.manifest.ManifestBuilder;
import io.cortexhub.node.task.EchoRunner;
import io.cortexhub.node.testing.FakeHub;
import io.cortexhub.node.testing.GrpcCleanup;
import io.cortexhub.node.testing.TestTaskSigner;
import io.cortexhub.node.tunnel.AgentMetrics;
import io.cortexhub.node.tunnel.AgentRuntime;
import io.cortexhub.node.tunnel.AgentSettings;
import io.cortexhub.node.tunnel.NodeAgent;
import io.cortexhub.proto.node.v1.HubFrame;
import io.cortexhub.proto.node.v1.NodeFrame;
import io.cortexhub.proto.node.v1.NodeTunnelGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real transport with server-authenticated TLS (what enrollment uses): Netty on loopback with a
 * throwaway EC P-256 CA, trusted by CA file or pinned fingerprint.
 */
class TlsTunnelTest {
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();
  @TempDir Path dir;

  TestPki pki;
  FakeHub hub;
  int port;
  ExecutorService pool;

  @BeforeEach
  void startHub() throws Exception {
    pool = grpc.register(Executors.newCachedThreadPool()); // shut down last
    pki = TestPki.create("Cortex Test CA");
    hub = new FakeHub();
    // The hub sends its CA in the chain so that a fingerprint-pinning node can find it.
    var ssl =
        GrpcSslContexts.configure(SslContextBuilder.forServer(pki.serverKeys.getPrivate(), pki.server, pki.ca))
            .build();
    Server server =
        grpc.register(
            NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .sslContext(ssl)
                .addService(hub)
                .build()
                .start());
    port = server.getPort();
  }

  private NodeAgent agentTrusting(HubTrust trust) {
    ManagedChannel channel = grpc.register(HubChannels.open("localhost", port, trust, 4 << 20, pool));
    ScheduledExecutorService timers = grpc.register(Executors.newSingleThreadScheduledExecutor());
    AgentRuntime rt = new AgentRuntime(Clock.systemUTC(), timers, pool, pool, new Random(5), () -> -1);
    AgentSettings settings = AgentSettings.defaults("tls-node", dir);
    var manifest = ManifestBuilder.build(HostFacts.probe(), List.of("echo"), Map.of(), 4);
    NodeAgent agent =
        new NodeAgent(
            settings, manifest, List.of(new EchoRunner(Clock.systemUTC())), channel,
            new FullJitterBackoff(Duration.ofMillis(100), Duration.ofSeconds(1), new Random(6)),
            rt, new AgentMetrics(), TestTaskSigner.create().nodeSecurity(Clock.systemUTC()));
    grpc.onClose(() -> agent.shutdown().get(5, TimeUnit.SECONDS));
    agent.start();
    return agent;
  }

  private void assertNodeSaysHello() throws Exception {
    FakeHub.Stream s = hub.nextStream(Duration.ofSeconds(10));
    NodeFrame hello = s.next();
    assertThat(hello.getHello().getNodeName()).isEqualTo("tls-node");
    s.welcome("n-tls", 1000);
  }

  @Test
  void caFile_trustsTheHub() throws Exception {
    agentTrusting(HubTrust.caFile(pki.writeCaPem(dir)));
    assertNodeSaysHello();
  }

  @Test
  void caFingerprint_trustsTheHub() throws Exception {
    HubTrust pinned = HubTrust.caFingerprint(CaFingerprintTrust.fingerprintOf(pki.ca));
    agentTrusting(pinned);
    assertNodeSaysHello();
  }

  @Test
  void fingerprintWithColonsAndUpperCase_isAccepted() {
    String fp = CaFingerprintTrust.fingerprintOf(pki.ca).substring("sha256:".length()).toUpperCase();
    StringBuilder colons = new StringBuilder("SHA256:");
    for (int i = 0; i < fp.length(); i += 2) {
      colons.append(i == 0 ? "" : ":").append(fp, i, i + 2);
    }
    assertThat(HubTrust.caFingerprint(colons.toString()))
        .isEqualTo(HubTrust.caFingerprint(CaFingerprintTrust.fingerprintOf(pki.ca)));
  }

  @Test
  void wrongFingerprint_isRefusedWithAClearError() throws Exception {
    TestPki other = TestPki.create("Some Other CA");
    String wrong = CaFingerprintTrust.fingerprintOf(other.ca);
    ManagedChannel channel = grpc.register(HubChannels.open("localhost", port, HubTrust.caFingerprint(wrong), 4 << 20, pool));

    Throwable t = firstFrameFailure(channel);
    assertThat(Status.fromThrowable(t).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(causeMessages(t))
        .contains("does not contain the pinned CA " + wrong)
        .contains(CaFingerprintTrust.fingerprintOf(pki.ca)); // names what the hub did present
    assertThat(hub.streams()).isEmpty();
  }

  @Test
  void caFileOfAnotherCa_isRefused() throws Exception {
    TestPki other = TestPki.create("Some Other CA");
    Path otherDir = java.nio.file.Files.createDirectory(dir.resolve("other"));
    ManagedChannel channel =
        grpc.register(HubChannels.open("localhost", port, HubTrust.caFile(other.writeCaPem(otherDir)), 4 << 20, pool));
    assertThat(Status.fromThrowable(firstFrameFailure(channel)).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(hub.streams()).isEmpty();
  }

  @Test
  void malformedTrustSettings_areRefusedUpFront() {
    assertThatThrownBy(() -> HubTrust.caFingerprint("md5:abcd")).isInstanceOf(HubTrustException.class).hasMessageContaining("sha256:");
    assertThatThrownBy(() -> HubTrust.caFingerprint("sha256:abcd")).isInstanceOf(HubTrustException.class).hasMessageContaining("64 hex");
    assertThatThrownBy(() -> HubTrust.caFile(dir.resolve("missing.pem"))).isInstanceOf(HubTrustException.class).hasMessageContaining("does not exist");
    assertThatThrownBy(() -> HubTrust.caFile(java.nio.file.Files.writeString(dir.resolve("junk.pem"), "junk")))
        .isInstanceOf(HubTrustException.class);
  }

  private static String causeMessages(Throwable t) {
    StringBuilder b = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      b.append(c.getMessage()).append(" | ");
    }
    return b.toString();
  }

  /** Opens a stream, sends one frame and returns how the call ended (null if it completed). */
  private static Throwable firstFrameFailure(ManagedChannel channel) throws Exception {
    CompletableFuture<Throwable> ended = new CompletableFuture<>();
    NodeTunnelGrpc.newStub(channel)
        .connect(
            new StreamObserver<HubFrame>() {
              @Override
              public void onNext(HubFrame value) {}

              @Override
              public void onError(Throwable t) {
                ended.complete(t);
              }

              @Override
              public void onCompleted() {
                ended.complete(null);
              }
            })
        .onNext(NodeFrame.newBuilder().build());
    return ended.get(10, TimeUnit.SECONDS);
  }
}
