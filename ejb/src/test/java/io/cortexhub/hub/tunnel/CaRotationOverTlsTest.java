package io.cortexhub.hub.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortexhub.hub.pki.CaRotationException;
import io.cortexhub.hub.pki.CaStatus;
import io.cortexhub.hub.pki.HubPki;
import io.cortexhub.hub.pki.Pem;
import io.cortexhub.hub.workspace.WorkspaceId;
import io.cortexhub.proto.node.v1.Heartbeat;
import io.cortexhub.proto.node.v1.HubFrame;
import io.cortexhub.proto.node.v1.NodeFrame;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A CA rotation on a running hub, over real Netty TLS: nodes keep working through both phases,
 * renew onto the new CA when told, and only certificates of the old CA that were never renewed
 * are refused once the rotation is finished.
 */
class CaRotationOverTlsTest {
  private final SecureHub hub = new SecureHub();
  private final HubPki pki = hub.security.pki();
  private final List<ManagedChannel> channels = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (ManagedChannel c : channels) {
      c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    hub.close();
  }

  private ManagedChannel track(ManagedChannel c) {
    channels.add(c);
    return c;
  }

  /** Opens a stream and consumes Welcome and the first session token. */
  private TestNode online(TestCredentials node) throws Exception {
    TestNode stream = new TestNode(track(node.mtls())).sendHello("n");
    assertThat(stream.nextFrame().hasWelcome()).isTrue();
    assertThat(stream.nextFrame().getSessionToken().getRenewCredentialsNow()).isFalse();
    return stream;
  }

  private static void stillServes(TestNode stream) throws Exception {
    stream.send(NodeFrame.newBuilder().setHeartbeat(Heartbeat.newBuilder().setSentAtUnixMs(7))
        .build());
    HubFrame f = stream.nextFrame();
    assertThat(f.getHeartbeatAck().getEchoSentAtUnixMs()).isEqualTo(7);
  }

  private static String issuer(TestCredentials node) {
    return Pem.fingerprint(node.chain().get(1));
  }

  @Test
  void rotation_keepsEveryNodeWorking_andMovesThemOntoTheNewCa() throws Exception {
    TestCredentials alpha = hub.enroll("alpha");
    TestCredentials laggard = hub.enroll("laggard");
    String oldCa = pki.status().activeFingerprint();
    TestNode alphaStream = online(alpha);
    TestNode laggardStream = online(laggard);

    CaStatus started = pki.startRotation("admin");
    String newCa = started.activeFingerprint();
    assertThat(newCa).isNotEqualTo(oldCa);
    assertThat(started.trustedFingerprints()).containsExactly(newCa, oldCa);
    assertThat(started.rotationStartedAt()).isPresent();
    assertThatThrownBy(() -> pki.startRotation("admin")).isInstanceOf(CaRotationException.class);

    // Phase 1: every connected node is told to renew now; it does, onto the new CA.
    HubFrame renewNow = alphaStream.nextFrame();
    assertThat(renewNow.getSessionToken().getRenewCredentialsNow()).isTrue();
    assertThat(laggardStream.nextFrame().getSessionToken().getRenewCredentialsNow()).isTrue();
    alpha.renew(renewNow.getSessionToken().getToken());
    assertThat(issuer(alpha)).isEqualTo(newCa);
    assertThat(alpha.trusted()).extracting(Pem::fingerprint).containsExactly(newCa, oldCa);
    stillServes(alphaStream);
    // A reconnect of the laggard (still on its old certificate) works during the rotation.
    TestNode laggardAgain = online(laggard);
    TestCredentials newcomer = hub.enroll("newcomer");
    assertThat(issuer(newcomer)).isEqualTo(newCa);
    TestNode newcomerStream = online(newcomer);

    // Phase 2: the server certificate comes from the new CA; the old CA is no longer trusted.
    CaStatus finished = pki.finishRotation("admin");
    assertThat(finished.trustedFingerprints()).containsExactly(newCa);
    assertThat(finished.rotationStartedAt()).isEmpty();
    assertThat(pki.snapshot().serverCaFingerprint()).isEqualTo(newCa);
    assertThatThrownBy(() -> pki.finishRotation("admin")).isInstanceOf(CaRotationException.class);

    // Established streams are untouched; new handshakes see the new server certificate.
    stillServes(alphaStream);
    stillServes(laggardAgain);
    stillServes(newcomerStream);
    online(alpha);
    assertThat(alphaStream.awaitStatus().getCode()).as("replaced by the reconnect")
        .isEqualTo(Status.Code.ABORTED);
    online(newcomer);

    // The laggard never renewed: it cannot verify the new server certificate, and even trusting
    // it, its old certificate is refused with a reason.
    ManagedChannel blind = track(laggard.mtls());
    Status cannotVerify = new TestNode(blind).sendHello("n").awaitStatus();
    assertThat(cannotVerify.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    List<X509Certificate> both = new ArrayList<>(alpha.trusted());
    ManagedChannel oldCert = track(TestCredentials.channel(hub.port, both,
        laggard.keys.getPrivate(), laggard.chain()));
    Status refused = new TestNode(oldCert).sendHello("n").awaitStatus();
    assertThat(refused.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(refused.getDescription()).contains("not issued by a CA this hub trusts");
  }

  @Test
  void rotationState_survivesAHubRestart() throws Exception {
    String oldCa = pki.status().activeFingerprint();
    CaStatus started = pki.startRotation("admin");

    HubPki reloaded = HubPki.loadOrCreate(hub.settings, hub.clock,
        new java.security.SecureRandom());
    assertThat(reloaded.status()).isEqualTo(started);
    assertThat(reloaded.snapshot().serverCaFingerprint()).isEqualTo(oldCa);

    CaStatus finished = reloaded.finishRotation("admin");
    HubPki again = HubPki.loadOrCreate(hub.settings, hub.clock, new java.security.SecureRandom());
    assertThat(again.status()).isEqualTo(finished);
    assertThat(again.snapshot().serverCaFingerprint())
        .isEqualTo(started.activeFingerprint());
  }

  @Test
  void enrollmentDuringARotation_pinsTheServersCurrentCa() throws Exception {
    String oldCa = pki.status().activeFingerprint();
    pki.startRotation("admin");
    // The node pins what the hub's server certificate is signed by today (the old CA) and gets
    // both CAs in its bundle, so it keeps trusting the hub after the rotation finishes.
    TestCredentials node = TestCredentials.enroll(hub.port,
        List.of(pki.snapshot().serverChain().get(1)), hub.token(WorkspaceId.DEFAULT), "n");
    assertThat(Pem.fingerprint(pki.snapshot().serverChain().get(1))).isEqualTo(oldCa);
    pki.finishRotation("admin");
    online(node);
  }
}
