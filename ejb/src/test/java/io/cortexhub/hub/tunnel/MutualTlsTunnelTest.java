package io.cortexhub.hub.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cortexhub.hub.dispatch.TaskRequest;
import io.cortexhub.hub.pki.Certificates;
import io.cortexhub.hub.pki.IssuingCa;
import io.cortexhub.hub.pki.Pem;
import io.cortexhub.hub.registry.NodeId;
import io.cortexhub.hub.registry.NodeIdentity;
import io.cortexhub.hub.session.SessionClaims;
import io.cortexhub.hub.signing.TaskSignatures;
import io.cortexhub.hub.signing.TaskSigningKey;
import io.cortexhub.hub.workspace.Workspace;
import io.cortexhub.hub.workspace.WorkspaceId;
import java.util.Set;
import io.cortexhub.proto.node.v1.HubFrame;
import io.cortexhub.proto.node.v1.NodeFrame;
import io.cortexhub.proto.node.v1.OutputChunk;
import io.cortexhub.proto.node.v1.OutputStream;
import io.cortexhub.proto.node.v1.TaskSpec;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The secured tunnel over real Netty TLS on loopback: who gets in, who is refused and why. */
class MutualTlsTunnelTest {
  private final SecureHub hub = new SecureHub();
  private ManagedChannel channel;

  @AfterEach
  void close() throws Exception {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    hub.close();
  }

  private TestNode connect(TestCredentials node, String helloName) throws Exception {
    channel = node.mtls();
    return new TestNode(channel).sendHello(helloName);
  }

  private Status refusedConnect(ManagedChannel ch) throws Exception {
    try {
      return new TestNode(ch).sendHello("intruder").awaitStatus();
    } finally {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void enrolledNode_isWhoItsCertificateSays_notWhatItsHelloOrCsrClaims() throws Exception {
    TestCredentials alpha = hub.enroll("alpha");
    X509Certificate cert = alpha.chain().get(0);
    String id = alpha.bundle.getNodeId();

    assertThat(id).matches("n-[a-z2-7]{20}");
    assertThat(alpha.bundle.getWorkspace()).isEqualTo("default");
    assertThat(cert.getSubjectX500Principal().getName()).as("not the CSR's CN=root,O=evil")
        .isEqualTo("CN=" + id);
    assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    assertThat(cert.getSubjectAlternativeNames()).extracting(san -> (Object) san.get(1))
        .containsExactlyInAnyOrder("urn:cortex:node:" + id, "urn:cortex:workspace:default");
    assertThat(Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant()))
        .isEqualTo(Duration.ofHours(24).plusMinutes(5));
    assertThat(alpha.trusted()).extracting(Pem::fingerprint)
        .containsExactly(hub.security.pki().snapshot().serverCaFingerprint());

    TestNode node = connect(alpha, "pretends-to-be-someone-else");
    HubFrame welcome = node.nextFrame();
    assertThat(welcome.getWelcome().getNodeId()).isEqualTo(id);
    HubFrame token = node.nextFrame();
    assertThat(token.hasSessionToken()).as("a session token right after Welcome").isTrue();
    assertThat(token.getSessionToken().getGrantedCapabilitiesList()).containsExactly("echo");
    SessionClaims claims = hub.security.sessions().verify(token.getSessionToken().getToken());
    assertThat(claims.identity()).isEqualTo(new NodeIdentity(new NodeId(id), WorkspaceId.DEFAULT));
    assertThat(claims.expiresAt().toEpochMilli())
        .isEqualTo(token.getSessionToken().getExpiresAtUnixMs());
  }

  @Test
  void everyTaskArrivesSignedOverItsExactBytes_withAKeyFromTheBundle() throws Exception {
    TestCredentials alpha = hub.enroll("alpha");
    TestNode node = connect(alpha, "alpha");
    node.nextFrame();
    node.nextFrame();

    hub.core.tasks().submit(TaskRequest.echo("signed", Map.of()));
    HubFrame frame = node.nextFrame();
    var assignment = frame.getAssignment();
    List<TaskSigningKey> pinned = alpha.bundle.getTaskSigningKeysList().stream()
        .map(k -> new TaskSigningKey(k.getKeyId(), k.getAlgorithm(),
            k.getPublicKey().toByteArray())).toList();
    byte[] bytes = assignment.getTask().toByteArray();
    assertThat(assignment.getKeyId()).startsWith("ed25519-");
    assertThat(TaskSignatures.verify(pinned, assignment.getKeyId(), bytes,
        assignment.getSignature().toByteArray())).isTrue();
    assertThat(TaskSpec.parseFrom(bytes).getNodeId()).isEqualTo(alpha.bundle.getNodeId());
    bytes[bytes.length - 1] ^= 1;
    assertThat(TaskSignatures.verify(pinned, assignment.getKeyId(), bytes,
        assignment.getSignature().toByteArray())).as("one flipped byte").isFalse();
  }

  @Test
  void narrowingAWorkspace_sendsItsNodesATokenWithFewerCapabilities() throws Exception {
    TestCredentials alpha = hub.enroll("alpha");
    TestNode node = connect(alpha, "alpha");
    node.nextFrame();
    assertThat(node.nextFrame().getSessionToken().getGrantedCapabilitiesList())
        .containsExactly("echo");

    hub.core.workspaces().save(new Workspace(WorkspaceId.DEFAULT, Set.of("shell")));

    HubFrame narrowed = node.nextFrame();
    assertThat(narrowed.getSessionToken().getGrantedCapabilitiesList()).isEmpty();
    assertThat(hub.security.sessions().verify(narrowed.getSessionToken().getToken())
        .capabilities()).isEmpty();
  }

  @Test
  void oversizedFrame_isStillRefusedWithAReason_andTheHubStaysUp() throws Exception {
    TestCredentials alpha = hub.enroll("alpha");
    TestNode node = connect(alpha, "alpha");
    node.nextFrame();
    node.send(NodeFrame.newBuilder().setOutput(OutputChunk.newBuilder().setTaskId("t")
        .setSeq(1).setStream(OutputStream.OUTPUT_STREAM_STDOUT)
        .setData(ByteString.copyFrom(new byte[5 * 1024 * 1024]))).build());
    Status s = node.awaitStatus();
    assertThat(s.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(s.getDescription()).contains("exceeds the limit of 4194304");

    TestNode again = new TestNode(channel).sendHello("alpha");
    assertThat(again.nextFrame().hasWelcome()).isTrue();
  }

  @Test
  void noClientCertificate_isRefusedUnauthenticated() throws Exception {
    Status s = refusedConnect(TestCredentials.channel(hub.port,
        hub.security.pki().snapshot().nodeTrustBundle(), null, null));

    assertThat(s.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(s.getDescription()).contains("client certificate is required");
  }

  @Test
  void certificateFromAnotherCa_isRefusedEvenWithAValidLookingIdentity() throws Exception {
    TestCredentials alpha = hub.enroll("alpha");
    SecureRandom random = new SecureRandom();
    KeyPair caKeys = Certificates.ecKeyPair(random);
    X509Certificate otherCaCert = Certificates.ca(caKeys, "Cortex Hub CA 1", hub.clock.instant(),
        Duration.ofDays(1), random);
    IssuingCa otherCa = new IssuingCa("other", otherCaCert, caKeys.getPrivate());
    KeyPair keys = TestCredentials.ecKeys();
    NodeIdentity stolenIdentity = new NodeIdentity(new NodeId(alpha.bundle.getNodeId()),
        WorkspaceId.DEFAULT);
    X509Certificate forged = Certificates.node(keys.getPublic(), stolenIdentity, otherCa,
        hub.clock.instant(), Duration.ofHours(1), random);

    Status s = refusedConnect(TestCredentials.channel(hub.port, alpha.trusted(),
        keys.getPrivate(), List.of(forged, otherCaCert)));

    assertThat(s.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(s.getDescription()).contains("not issued by a CA this hub trusts");
  }

  @Test
  void expiredCertificate_isRefusedTellingTheOperatorToReEnroll() throws Exception {
    TestCredentials alpha = hub.enroll("alpha");
    hub.clock.advance(Duration.ofHours(24).plusSeconds(1));

    Status s = refusedConnect(alpha.mtls());

    assertThat(s.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(s.getDescription()).contains("expired").contains("re-enroll");
  }

  @Test
  void revokedNode_losesItsLiveStreamAtOnce_andIsRefusedFromThenOn() throws Exception {
    TestCredentials alpha = hub.enroll("alpha");
    TestNode node = connect(alpha, "alpha");
    node.nextFrame();
    NodeId id = new NodeId(alpha.bundle.getNodeId());

    hub.core.revocations().revoke(id, "admin", "laptop stolen");

    Status live = node.awaitStatus();
    assertThat(live.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(live.getDescription()).isEqualTo("node revoked");
    Status again = refusedConnect(alpha.mtls());
    assertThat(again.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(again.getDescription()).isEqualTo("node revoked");
  }
}
