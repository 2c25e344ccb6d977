package io.cortexhub.hub.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.cortexhub.hub.enrollment.IssuedJoinToken;
import io.cortexhub.hub.pki.Pem;
import io.cortexhub.hub.registry.NodeId;
import io.cortexhub.hub.registry.NodeIdentity;
import io.cortexhub.hub.registry.NodeView;
import io.cortexhub.hub.testing.Await;
import io.cortexhub.hub.workspace.Workspace;
import io.cortexhub.hub.workspace.WorkspaceId;
import io.cortexhub.proto.node.v1.EnrollRequest;
import io.cortexhub.proto.node.v1.HubFrame;
import io.cortexhub.proto.node.v1.NodeEnrollmentGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Enroll and Renew over the real TLS listener, including every refusal. */
class EnrollmentOverTlsTest {
  private final SecureHub hub = new SecureHub();

  @AfterEach
  void close() throws Exception {
    hub.close();
  }

  private TestCredentials enroll(String token) throws Exception {
    return TestCredentials.enroll(hub.port, hub.security.pki().snapshot().nodeTrustBundle(), token,
        "n1");
  }

  private static Status statusOf(ThrowingCallable call) {
    try {
      call.call();
    } catch (StatusRuntimeException e) {
      return e.getStatus();
    } catch (Throwable t) {
      throw new AssertionError("expected a gRPC status, got " + t, t);
    }
    throw new AssertionError("the call succeeded");
  }

  private Status enrollRaw(String token, byte[] csr) throws Exception {
    ManagedChannel ch = TestCredentials.channel(hub.port,
        hub.security.pki().snapshot().nodeTrustBundle(), null, null);
    try {
      return statusOf(() -> NodeEnrollmentGrpc.newBlockingStub(ch)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .enroll(EnrollRequest.newBuilder().setJoinToken(token).setNodeName("n1")
              .setCsrDer(ByteString.copyFrom(csr)).build()));
    } finally {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void joinToken_bindsWorkspaceAndLabels_whichOverrideTheNodesOwn() throws Exception {
    WorkspaceId blue = new WorkspaceId("blue");
    hub.core.workspaces().save(new Workspace(blue, Set.of("echo")));
    IssuedJoinToken t = hub.token(blue, Map.of("zone", "admin-says"), Duration.ofMinutes(5), 1);

    TestCredentials node = enroll(t.token());
    assertThat(node.bundle.getWorkspace()).isEqualTo("blue");
    assertThat(node.bundle.getLabelsMap()).containsEntry("zone", "admin-says");

    ManagedChannel ch = node.mtls();
    try {
      TestNode stream = new TestNode(ch).send(io.cortexhub.proto.node.v1.NodeFrame.newBuilder()
          .setHello(TestNode.hello("n1").setManifest(TestNode.hello("n1").getManifest().toBuilder()
              .putLabels("zone", "node-says").putLabels("gpu", "yes"))).build());
      assertThat(stream.nextFrame().getWelcome().getNodeId()).isEqualTo(node.bundle.getNodeId());
      NodeView view = Await.value("the node online", Duration.ofSeconds(10),
          () -> hub.core.directory().find(new NodeId(node.bundle.getNodeId())));
      assertThat(view.workspace()).isEqualTo("blue");
      assertThat(view.labels()).isEqualTo(Map.of("zone", "admin-says", "gpu", "yes"));
    } finally {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void unknownUsedExpiredAndRevokedTokens_areRefusedUnauthenticated() throws Exception {
    byte[] csr = TestCredentials.csr(TestCredentials.ecKeys(), "CN=x");
    Status unknown = enrollRaw("jt-0123456789abcdef." + "A".repeat(43), csr);
    assertThat(unknown.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(unknown.getDescription()).isEqualTo("join token refused: unknown token");

    String used = hub.token(WorkspaceId.DEFAULT);
    enroll(used);
    Status usedTwice = enrollRaw(used, csr);
    assertThat(usedTwice.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(usedTwice.getDescription()).contains("already used");

    String expiring = hub.token(WorkspaceId.DEFAULT, Map.of(), Duration.ofMinutes(15), 1).token();
    hub.clock.advance(Duration.ofMinutes(15));
    Status expired = enrollRaw(expiring, csr);
    assertThat(expired.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(expired.getDescription()).contains("expired");

    IssuedJoinToken revoked = hub.token(WorkspaceId.DEFAULT, Map.of(), null, 1);
    hub.core.joinTokens().revoke(revoked.tokenId());
    Status revokedStatus = enrollRaw(revoked.token(), csr);
    assertThat(revokedStatus.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(revokedStatus.getDescription()).contains("revoked");
  }

  @Test
  void malformedCsr_isRefusedAsInvalid_andDoesNotUseUpTheToken() throws Exception {
    String token = hub.token(WorkspaceId.DEFAULT);

    Status garbage = enrollRaw(token, new byte[] {0x30, 0x03, 1, 2, 3});
    assertThat(garbage.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(garbage.getDescription()).contains("not a DER PKCS#10");

    byte[] tampered = TestCredentials.csr(TestCredentials.ecKeys(), "CN=x");
    tampered[tampered.length - 5] ^= 0x55;
    Status badSignature = enrollRaw(token, tampered);
    assertThat(badSignature.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);

    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    KeyPair rsaKeys = rsa.generateKeyPair();
    byte[] rsaCsr = new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder(
        new org.bouncycastle.asn1.x500.X500Name("CN=x"), rsaKeys.getPublic())
        .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withRSA")
            .build(rsaKeys.getPrivate())).getEncoded();
    Status wrongKey = enrollRaw(token, rsaCsr);
    assertThat(wrongKey.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(wrongKey.getDescription()).contains("EC P-256");

    assertThat(enroll(token).bundle.getNodeId()).as("the token still works").isNotEmpty();
  }

  @Test
  void renewal_issuesACertificateForTheNewKey_withTheSameIdentity() throws Exception {
    TestCredentials node = hub.enroll("alpha");
    String bearer = sessionToken(node);
    String firstSerial = node.chain().get(0).getSerialNumber().toString(16);
    String id = node.bundle.getNodeId();
    hub.clock.advance(Duration.ofMinutes(10));

    node.renew(bearer);

    assertThat(node.chain().get(0).getSerialNumber().toString(16)).isNotEqualTo(firstSerial);
    assertThat(node.chain().get(0).getPublicKey()).isEqualTo(node.keys.getPublic());
    assertThat(node.bundle.getNodeId()).isEqualTo(id);
    assertThat(node.bundle.getNotAfterUnixMs())
        .isEqualTo(hub.clock.instant().plus(Duration.ofHours(24)).toEpochMilli());
    assertThat(hub.core.identities().certificatesIssued(new NodeId(node.bundle.getNodeId())))
        .isEqualTo(2);
    ManagedChannel ch = node.mtls();
    try {
      TestNode stream = new TestNode(ch).sendHello("alpha");
      assertThat(stream.nextFrame().hasWelcome()).as("the renewed certificate works").isTrue();
    } finally {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void renewWithoutWithForeignOrExpiredSessionToken_isRefused() throws Exception {
    TestCredentials alpha = hub.enroll("alpha");
    TestCredentials beta = hub.enroll("beta");

    Status none = statusOf(() -> alpha.renew(null));
    assertThat(none.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(none.getDescription()).contains("session token is required");

    Status garbage = statusOf(() -> alpha.renew("not.a.jwt"));
    assertThat(garbage.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);

    Status foreign = statusOf(() -> alpha.renew(freshToken(beta)));
    assertThat(foreign.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(foreign.getDescription()).contains("names node " + beta.bundle.getNodeId());

    String token = freshToken(alpha);
    hub.clock.advance(Duration.ofMinutes(16));
    Status expired = statusOf(() -> alpha.renew(token));
    assertThat(expired.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(expired.getDescription()).contains("expired");

    Status noCert = statusOf(() -> new TestCredentials.Anonymous(hub.port,
        hub.security.pki().snapshot().nodeTrustBundle()).renew(freshToken(alpha)));
    assertThat(noCert.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(noCert.getDescription()).contains("client certificate is required");
    assertThat(hub.core.identities().certificatesIssued(new NodeId(alpha.bundle.getNodeId())))
        .as("nothing was issued").isEqualTo(1);
  }

  @Test
  void revokedNode_cannotRenew() throws Exception {
    TestCredentials alpha = hub.enroll("alpha");
    String token = freshToken(alpha);
    hub.core.revocations().revoke(new NodeId(alpha.bundle.getNodeId()), "admin", "gone");

    Status s = statusOf(() -> alpha.renew(token));
    assertThat(s.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(s.getDescription()).isEqualTo("node revoked");
  }

  /** The session token the hub sends on the node's stream right after Welcome. */
  private String sessionToken(TestCredentials node) throws Exception {
    ManagedChannel ch = node.mtls();
    try {
      TestNode stream = new TestNode(ch).sendHello("x");
      stream.nextFrame();
      HubFrame token = stream.nextFrame();
      return token.getSessionToken().getToken();
    } finally {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private String freshToken(TestCredentials node) {
    return hub.security.sessions().mint(new NodeIdentity(new NodeId(node.bundle.getNodeId()),
        new WorkspaceId(node.bundle.getWorkspace())), List.of("echo")).token();
  }

  @Test
  void trustBundle_isAlsoWrittenForOperators() throws Exception {
    String bundle = java.nio.file.Files.readString(hub.dataDir().resolve("pki").resolve("ca.pem"));
    assertThat(Pem.parseCertificates(bundle)).extracting(Pem::fingerprint)
        .containsExactly(hub.security.pki().snapshot().serverCaFingerprint());
    assertThatThrownBy(() -> Pem.parseCertificates("junk").get(0))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }
}
