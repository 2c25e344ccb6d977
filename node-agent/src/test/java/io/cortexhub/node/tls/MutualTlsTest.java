package io.cortexhub.node.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.cortexhub.node.backoff.FullJitterBackoff;
import io.cortexhub.node.identity.CredentialRenewer;
import io.cortexhub.node.identity.CredentialStore;
import io.cortexhub.node.identity.Credentials;
import io.cortexhub.node.identity.EnrolledNode;
import io.cortexhub.node.identity.EnrollmentClient;
import io.cortexhub.node.identity.EnrollmentException;
import io.cortexhub.node.logging.AgentLog;
import io.cortexhub.node.logging.LogContext;
import io.cortexhub.node.manifest.HostFacts;
import io.cortexhub.node.manifest.ManifestBuilder;
import io.cortexhub.node.task.EchoRunner;
import io.cortexhub.node.testing.Await;
import io.cortexhub.node.testing.FakeHub;
import io.cortexhub.node.testing.FakeIdentityHub;
import io.cortexhub.node.testing.GrpcCleanup;
import io.cortexhub.node.testing.TestCa;
import io.cortexhub.node.testing.TestTaskSigner;
import io.cortexhub.node.testing.TlsFakeHub;
import io.cortexhub.node.tunnel.AgentMetrics;
import io.cortexhub.node.tunnel.AgentRuntime;
import io.cortexhub.node.tunnel.AgentSettings;
import io.cortexhub.node.tunnel.HubAddress;
import io.cortexhub.node.tunnel.NodeAgent;
import io.cortexhub.node.verify.InMemoryReplayCache;
import io.cortexhub.proto.node.v1.EchoPayload;
import io.cortexhub.proto.node.v1.NodeFrame;
import io.cortexhub.proto.node.v1.NodeCredentialsGrpc;
import io.cortexhub.proto.node.v1.RenewRequest;
import io.cortexhub.proto.node.v1.TaskSpec;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Enrollment, the mutual-TLS tunnel, renewal and a CA rotation over the real transport: Netty on
 * loopback, BoringSSL, EC P-256 certificates issued by test CAs; the fake hub asks for client
 * certificates (optional, as the real listener does) and records which one each call presented.
 */
class MutualTlsTest {
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();
  @TempDir Path dir;

  TlsFakeHub hub;
  TestCa ca1;
  TestCa ca2;
  TestTaskSigner signer;
  FakeHub tunnel;
  FakeIdentityHub identity;
  ExecutorService pool;
  ScheduledExecutorService timers;
  HubAddress address;

  @BeforeEach
  void startHub() throws Exception {
    pool = grpc.register(Executors.newCachedThreadPool()); // shut down last
    timers = grpc.register(Executors.newSingleThreadScheduledExecutor());
    hub = TlsFakeHub.start(grpc);
    ca1 = hub.ca;
    ca2 = hub.nextCa;
    signer = hub.signer;
    tunnel = hub.tunnel;
    identity = hub.identity;
    address = hub.address;
  }

  Credentials enroll(HubTrust trust) {
    return new EnrollmentClient(new SecureRandom(), Duration.ofSeconds(10))
        .enroll(address, trust, identity.token("join-" + identity.issued().size(), 1), "edge-1");
  }

  record Running(NodeAgent agent, EnrolledNode link, CredentialStore store) {}

  Running run(Credentials creds) {
    CredentialStore store = new CredentialStore(dir.resolve("state"));
    store.save(creds);
    AgentRuntime rt = new AgentRuntime(Clock.systemUTC(), timers, pool, pool, new Random(5), () -> -1);
    AgentLog log = AgentLog.of(CredentialRenewer.class, LogContext.ofNode("edge-1"));
    EnrolledNode link = EnrolledNode.connect(creds, store, address, rt, pool, new SecureRandom(), log);
    grpc.register(link.channel());
    NodeAgent agent =
        new NodeAgent(
            AgentSettings.defaults("edge-1", dir.resolve("work")),
            ManifestBuilder.build(HostFacts.probe(), List.of("echo"), Map.of(), 4),
            List.of(new EchoRunner(Clock.systemUTC())),
            link.channel(),
            new FullJitterBackoff(Duration.ofMillis(20), Duration.ofMillis(100), new Random(6)),
            rt,
            new AgentMetrics(),
            link.security(new InMemoryReplayCache(Clock.systemUTC())));
    grpc.onClose(() -> agent.shutdown().get(5, TimeUnit.SECONDS));
    grpc.onClose(link.renewer()::stop);
    agent.start();
    link.renewer().start();
    return new Running(agent, link, store);
  }

  FakeHub.Stream welcomed(String nodeId) throws Exception {
    FakeHub.Stream s = tunnel.nextStream(Duration.ofSeconds(10));
    assertThat(s.next().getHello().getNodeName()).isEqualTo("edge-1"); // a display name, nothing more
    s.welcome(nodeId, 1000);
    return s;
  }

  X509Certificate lastConnectCert() {
    List<FakeIdentityHub.Call> connects = identity.calls("Connect");
    return connects.get(connects.size() - 1).clientCert().orElseThrow(() -> new AssertionError("Connect without a client certificate"));
  }

  @Test
  void enrollment_overServerAuthenticatedTls_thenTheTunnelPresentsTheNodeCertificate() throws Exception {
    Credentials creds = enroll(HubTrust.caFingerprint(ca1.fingerprint()));
    assertThat(identity.calls("Enroll")).singleElement().satisfies(c -> assertThat(c.clientCert()).isEmpty());

    Running r = run(creds);
    FakeHub.Stream s = welcomed(creds.nodeId());
    assertThat(lastConnectCert()).isEqualTo(creds.certificate());
    assertThat(lastConnectCert().getSubjectX500Principal().getName()).isEqualTo("CN=" + creds.nodeId());

    s.grant("echo");
    long now = System.currentTimeMillis();
    s.assign(
        signer.assignment(
            TaskSpec.newBuilder()
                .setTaskId("tls-1")
                .setNodeId(creds.nodeId())
                .setCapability("echo")
                .setIssuedAtUnixMs(now)
                .setNotAfterUnixMs(now + 60_000)
                .setNonce(ByteString.copyFrom(new byte[16]))
                .setEcho(EchoPayload.newBuilder().setMessage(ByteString.copyFromUtf8("over mTLS")))
                .build()));
    assertThat(s.nextMatching(NodeFrame::hasOutput).getOutput().getData().toStringUtf8()).isEqualTo("over mTLS");
    assertThat(r.agent().isConnected()).isTrue();
  }

  @Test
  void enrollment_withAWrongCaFingerprint_isRefusedWithAClearError() {
    assertThatThrownBy(() -> enroll(HubTrust.caFingerprint(ca2.fingerprint())))
        .isInstanceOf(EnrollmentException.class)
        .hasMessageContaining("cannot verify the hub at " + address)
        .hasMessageContaining("does not contain the pinned CA " + ca2.fingerprint())
        .hasMessageContaining("--ca-fingerprint")
        .satisfies(e -> assertThat(((EnrollmentException) e).status()).isEqualTo(Status.Code.UNAVAILABLE));
    assertThat(identity.calls("Enroll")).isEmpty(); // the token never left the node
  }

  @Test
  void enrollment_withARefusedToken_isUnauthenticated() {
    assertThatThrownBy(
            () ->
                new EnrollmentClient(new SecureRandom(), Duration.ofSeconds(10))
                    .enroll(address, HubTrust.caFingerprint(ca1.fingerprint()), "stolen-or-stale", "edge-1"))
        .isInstanceOf(EnrollmentException.class)
        .hasMessageContaining("refused the join token")
        .satisfies(e -> assertThat(((EnrollmentException) e).status()).isEqualTo(Status.Code.UNAUTHENTICATED));
  }

  @Test
  void renewal_swapsTheCertificateThatTheNextHandshakePresents() throws Exception {
    Credentials creds = enroll(HubTrust.caFingerprint(ca1.fingerprint()));
    Running r = run(creds);
    FakeHub.Stream s1 = welcomed(creds.nodeId());
    X509Certificate first = lastConnectCert();

    s1.grant(Instant.now().plusSeconds(900), true, "echo"); // the hub asks for a renewal now
    Await.until("renewed", () -> r.link().renewer().renewals() == 1);
    FakeIdentityHub.Call renew = identity.calls("Renew").get(0);
    assertThat(renew.clientCert()).contains(first); // authenticated by the current certificate...
    assertThat(renew.authorization()).hasValueSatisfying(a -> assertThat(a).startsWith("Bearer session-token-"));
    X509Certificate second = r.link().renewer().current().certificate();
    assertThat(second).isNotEqualTo(first);
    assertThat(r.store().load().orElseThrow().certificate()).isEqualTo(second);

    s1.fail(Status.UNAVAILABLE.withDescription("hub restarting"));
    welcomed(creds.nodeId());
    assertThat(lastConnectCert()).isEqualTo(second); // ...and the next handshake presents the new one
  }

  @Test
  void caRotation_nodesRenewOntoTheNewCa_followTheServerToIt_andFinallyDropTheOldCa() throws Exception {
    Credentials creds = enroll(HubTrust.caFingerprint(ca1.fingerprint()));
    Running r = run(creds);
    FakeHub.Stream s1 = welcomed(creds.nodeId());

    // Phase 1: the hub trusts and issues from the new CA, and asks connected nodes to renew.
    identity.issuer = ca2;
    identity.trusted = List.of(ca1, ca2);
    s1.grant(Instant.now().plusSeconds(900), true, "echo");
    Await.until("renewed onto CA 2", () -> r.link().renewer().renewals() == 1);
    assertThat(r.link().tls().trustedCas()).containsExactly(ca1.cert, ca2.cert);

    // Phase 2: the hub's server certificate comes from the new CA; the node follows.
    hub.serverIdentity.use(ca2);
    s1.fail(Status.UNAVAILABLE.withDescription("hub reloading"));
    FakeHub.Stream s2 = welcomed(creds.nodeId());
    assertThat(lastConnectCert().getIssuerX500Principal()).isEqualTo(ca2.cert.getSubjectX500Principal());

    // The old CA is dropped from the bundle at the next renewal...
    identity.trusted = List.of(ca2);
    s2.grant(Instant.now().plusSeconds(900), true, "echo");
    Await.until("renewed again", () -> r.link().renewer().renewals() == 2);
    assertThat(r.link().tls().trustedCas()).containsExactly(ca2.cert);

    // ...after which a server certificate from the old CA is refused at the handshake.
    hub.serverIdentity.use(ca1);
    ManagedChannel fresh = grpc.register(HubChannels.open(address.host(), address.port(), r.link().tls(), 4 << 20, pool));
    assertThatThrownBy(
            () ->
                NodeCredentialsGrpc.newBlockingStub(fresh)
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .renew(RenewRequest.getDefaultInstance()))
        .isInstanceOf(StatusRuntimeException.class)
        .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }
}
