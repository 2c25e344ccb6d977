package io.cortexhub.hub.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortexhub.hub.connector.outbound.GrpcNodeConnectionFactory;
import io.cortexhub.hub.session.SessionGrant;
import io.cortexhub.hub.testing.FakeClock;
import io.cortexhub.proto.node.v1.Heartbeat;
import io.cortexhub.proto.node.v1.HubFrame;
import io.cortexhub.proto.node.v1.NodeFrame;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Session tokens on the stream: after Welcome, refreshed at 2/3, pushed on demand. */
class SessionTokenStreamTest {
  private final FakeClock clock = new FakeClock();
  private final AtomicInteger minted = new AtomicInteger();
  private NodeTunnelService service;
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    SessionTokenSource tokens = hello -> Optional.of(new SessionGrant(
        "token-" + minted.incrementAndGet(), clock.instant(), clock.instant().plusSeconds(900),
        List.of("echo")));
    service = new NodeTunnelService(new RecordingListener(), new GrpcNodeConnectionFactory(),
        NodeIdentityResolver.trustingHelloNames(), tokens, clock, Duration.ofSeconds(5),
        4 * 1024 * 1024, 16);
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor().addService(service).build()
        .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private static NodeFrame heartbeat() {
    return NodeFrame.newBuilder().setHeartbeat(Heartbeat.newBuilder().setSentAtUnixMs(1)).build();
  }

  @Test
  void tokenFollowsWelcome_andIsRefreshedAtTwoThirdsOfItsLifetime() throws Exception {
    TestNode node = new TestNode(channel).sendHello("alpha");
    assertThat(node.nextFrame().hasWelcome()).isTrue();
    HubFrame first = node.nextFrame();
    assertThat(first.getSessionToken().getToken()).isEqualTo("token-1");
    assertThat(first.getSessionToken().getExpiresAtUnixMs())
        .isEqualTo(clock.instant().plusSeconds(900).toEpochMilli());
    assertThat(first.getSessionToken().getGrantedCapabilitiesList()).containsExactly("echo");

    clock.advance(Duration.ofSeconds(599));
    node.send(heartbeat());
    assertThat(node.nextFrame().hasHeartbeatAck()).isTrue();
    node.send(heartbeat());
    assertThat(node.nextFrame().hasHeartbeatAck()).as("no token before 2/3").isTrue();

    clock.advance(Duration.ofSeconds(1));
    node.send(heartbeat());
    assertThat(node.nextFrame().hasHeartbeatAck()).isTrue();
    HubFrame second = node.nextFrame();
    assertThat(second.getSessionToken().getToken()).isEqualTo("token-2");
    assertThat(second.getSessionToken().getRenewCredentialsNow()).isFalse();
  }

  @Test
  void credentialRenewalRequest_reachesEveryOpenSession() throws Exception {
    TestNode a = new TestNode(channel).sendHello("a");
    TestNode b = new TestNode(channel).sendHello("b");
    a.nextFrame();
    a.nextFrame();
    b.nextFrame();
    b.nextFrame();

    service.requestCredentialRenewal();

    assertThat(a.nextFrame().getSessionToken().getRenewCredentialsNow()).isTrue();
    assertThat(b.nextFrame().getSessionToken().getRenewCredentialsNow()).isTrue();

    service.refreshSessionTokens(id -> id.id().value().equals("id-b"));
    HubFrame onlyB = b.nextFrame();
    assertThat(onlyB.getSessionToken().getRenewCredentialsNow()).isFalse();
    a.send(heartbeat());
    assertThat(a.nextFrame().hasHeartbeatAck()).as("a got no extra token").isTrue();
  }
}
