package io.cortexhub.node.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortexhub.node.testing.FakeIdentityHub;
import io.cortexhub.node.testing.GrpcCleanup;
import io.cortexhub.node.testing.TestCa;
import io.cortexhub.node.testing.TestTaskSigner;
import io.cortexhub.proto.node.v1.EnrollRequest;
import io.cortexhub.proto.node.v1.EnrollResponse;
import io.cortexhub.proto.node.v1.NodeEnrollmentGrpc;
import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Enrollment logic against an in-process fake hub (the TLS side: tls.MutualTlsTest, cli.EnrollCommandTest). */
class EnrollmentClientTest {
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  final TestCa ca = TestCa.create("Cortex Test CA");
  final TestTaskSigner signer = TestTaskSigner.create();
  final FakeIdentityHub hub = new FakeIdentityHub(Clock.systemUTC(), ca, signer);
  final EnrollmentClient client = new EnrollmentClient(new SecureRandom(), Duration.ofSeconds(10));

  ManagedChannel serve(BindableService service) throws Exception {
    String name = InProcessServerBuilder.generateName();
    grpc.register(InProcessServerBuilder.forName(name).directExecutor().addService(service).build().start());
    return grpc.register(InProcessChannelBuilder.forName(name).directExecutor().build());
  }

  @Test
  void aValidToken_givesCredentialsForTheNodesOwnKey_withTheIdentityTheHubChose() throws Exception {
    ManagedChannel ch = serve(hub.enrollment());
    hub.workspace = "ws-blue";
    Credentials c = client.enroll(ch, hub.token("join-1", 1), "edge-7", "test hub");
    assertThat(c.nodeId()).startsWith("n-").hasSize(22);
    assertThat(c.workspace()).isEqualTo("ws-blue");
    assertThat(c.signingKeys()).extracting(k -> k.keyId()).containsExactly(signer.keyId());
    assertThat(c.trustedCaFingerprints()).containsExactly(ca.fingerprint());
    assertThat(c.privateKey().getAlgorithm()).isEqualTo("EC");
    assertThat(c.certificate().getPublicKey()).isEqualTo(hub.issued().get(0).getPublicKey());
  }

  @Test
  void aRefusedToken_isUnauthenticated_andSaysToGetANewOne() throws Exception {
    ManagedChannel ch = serve(hub.enrollment());
    String once = hub.token("join-once", 1);
    client.enroll(ch, once, "edge-1", "test hub");
    assertThatThrownBy(() -> client.enroll(ch, once, "edge-2", "test hub"))
        .isInstanceOf(EnrollmentException.class)
        .hasMessageContaining("refused the join token")
        .hasMessageContaining("ask an admin for a new one")
        .satisfies(e -> assertThat(((EnrollmentException) e).status()).isEqualTo(Status.Code.UNAUTHENTICATED));
    assertThatThrownBy(() -> client.enroll(ch, "never-issued", "edge-3", "test hub"))
        .isInstanceOf(EnrollmentException.class)
        .satisfies(e -> assertThat(((EnrollmentException) e).status()).isEqualTo(Status.Code.UNAUTHENTICATED));
  }

  @Test
  void anEmptyToken_isRefusedBeforeCallingTheHub() throws Exception {
    ManagedChannel ch = serve(hub.enrollment());
    assertThatThrownBy(() -> client.enroll(ch, " ", "edge", "test hub")).isInstanceOf(IllegalArgumentException.class);
    assertThat(hub.issued()).isEmpty();
  }

  @Test
  void aHubThatCertifiesAnotherKey_isNotBelieved() throws Exception {
    ManagedChannel ch =
        serve(
            new NodeEnrollmentGrpc.NodeEnrollmentImplBase() {
              @Override
              public void enroll(EnrollRequest request, StreamObserver<EnrollResponse> out) {
                Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
                var cert = ca.issueNode(TestCa.ecKeys().getPublic(), "n-x", "default", now, now.plus(Duration.ofHours(1)));
                out.onNext(
                    EnrollResponse.newBuilder()
                        .setCredentials(ca.bundle(cert, "n-x", "default", java.util.List.of(ca), java.util.List.of(signer.signingKey())))
                        .build());
                out.onCompleted();
              }
            });
    assertThatThrownBy(() -> client.enroll(ch, "t", "edge", "test hub"))
        .isInstanceOf(EnrollmentException.class)
        .hasMessageContaining("unusable credentials")
        .hasMessageContaining("not issued for this node's private key");
  }

  @Test
  void aMalformedCsrRefusal_isReportedAsSuch() throws Exception {
    ManagedChannel ch =
        serve(
            new NodeEnrollmentGrpc.NodeEnrollmentImplBase() {
              @Override
              public void enroll(EnrollRequest request, StreamObserver<EnrollResponse> out) {
                out.onError(Status.INVALID_ARGUMENT.withDescription("CSR key is not EC P-256").asRuntimeException());
              }
            });
    assertThatThrownBy(() -> client.enroll(ch, "t", "edge", "test hub"))
        .isInstanceOf(EnrollmentException.class)
        .hasMessageContaining("rejected this node's certificate request: CSR key is not EC P-256");
  }
}
