package io.cortexhub.hub.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cortexhub.hub.config.HubSettings;
import io.cortexhub.hub.connector.outbound.GrpcNodeConnectionFactory;
import io.cortexhub.hub.testing.FakeClock;
import io.cortexhub.hub.tls.HubCertificates;
import io.cortexhub.hub.tls.TlsMaterial;
import io.cortexhub.proto.node.v1.NodeFrame;
import io.cortexhub.proto.node.v1.OutputChunk;
import io.cortexhub.proto.node.v1.OutputStream;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tunnel over real Netty on loopback with the hub's generated TLS material. */
class TunnelOverTlsTest {
  @TempDir Path data;

  @Test
  void nodeTrustingTheGeneratedCa_connects_andAnOversizedFrameIsRefused() throws Exception {
    HubSettings settings = HubSettings.defaults(data).withMaxFrameBytes(64 * 1024);
    TlsMaterial tls = HubCertificates.loadOrCreate(settings, new FakeClock(), new SecureRandom());
    assertThat(tls.caFingerprint()).matches("sha256:[0-9a-f]{64}");
    assertThat(Files.getPosixFilePermissions(tls.privateKey()))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    assertThat(HubCertificates.loadOrCreate(settings, new FakeClock(), new SecureRandom())
        .caFingerprint()).as("reused on the next boot").isEqualTo(tls.caFingerprint());

    RecordingListener listener = new RecordingListener();
    NodeTunnelService service = new NodeTunnelService(listener, new GrpcNodeConnectionFactory(),
        new FakeClock(), Duration.ofSeconds(5), settings.maxFrameBytes(), 16);
    TunnelServer server = new TunnelServer(service);
    ExecutorService executor = Executors.newFixedThreadPool(2);
    int port = server.start("127.0.0.1", 0, tls, settings.maxFrameBytes(), executor);
    ManagedChannel channel = NettyChannelBuilder.forAddress("localhost", port)
        .sslContext(GrpcSslContexts.forClient().trustManager(tls.ca().orElseThrow().toFile())
            .build())
        .build();
    try {
      TestNode node = new TestNode(channel).sendHello("alpha");
      assertThat(node.nextFrame().getWelcome().getNodeId()).isEqualTo("id-alpha");

      node.send(NodeFrame.newBuilder().setOutput(OutputChunk.newBuilder().setTaskId("t")
          .setSeq(1).setStream(OutputStream.OUTPUT_STREAM_STDOUT)
          .setData(ByteString.copyFrom(new byte[100 * 1024]))).build());
      Status s = node.awaitStatus();
      assertThat(s.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(s.getDescription()).contains("exceeds the limit of 65536");

      TestNode huge = new TestNode(channel).sendHello("beta");
      huge.nextFrame();
      huge.send(NodeFrame.newBuilder().setOutput(OutputChunk.newBuilder().setTaskId("t")
          .setSeq(1).setStream(OutputStream.OUTPUT_STREAM_STDOUT)
          .setData(ByteString.copyFrom(new byte[300 * 1024]))).build());
      assertThat(huge.awaitStatus().isOk()).as("beyond the transport ceiling").isFalse();

      TestNode again = new TestNode(channel).sendHello("alpha");
      assertThat(again.nextFrame().hasWelcome()).as("the hub stays up").isTrue();
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server.stop(Duration.ofSeconds(5));
      executor.shutdownNow();
    }
    assertThat(server.isListening()).isFalse();
  }
}
