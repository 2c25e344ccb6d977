package io.cortexhub.node.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortexhub.node.logging.AgentLog;
import io.cortexhub.node.logging.LogContext;
import io.cortexhub.node.testing.Await;
import io.cortexhub.node.testing.FakeClock;
import io.cortexhub.node.testing.FakeIdentityHub;
import io.cortexhub.node.testing.GrpcCleanup;
import io.cortexhub.node.testing.TestCa;
import io.cortexhub.node.testing.TestTaskSigner;
import io.cortexhub.node.tls.MutualTls;
import io.cortexhub.node.tunnel.AgentRuntime;
import io.cortexhub.node.verify.TaskVerifier;
import io.cortexhub.proto.node.v1.SessionToken;
import io.grpc.ManagedChannel;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Renewal logic on a fake clock against an in-process hub (over real TLS: tls.MutualTlsTest). */
class CredentialRenewerTest {
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();
  @TempDir Path dir;

  final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
  final TestCa ca = TestCa.create("Cortex Test CA");
  final TestTaskSigner signer = TestTaskSigner.create();
  final FakeIdentityHub hub = new FakeIdentityHub(clock, ca, signer);
  CredentialStore store;
  Credentials initial;
  MutualTls tls;
  TaskVerifier verifier;
  CredentialRenewer renewer;

  @BeforeEach
  void enroll() throws Exception {
    ExecutorService pool = grpc.register(Executors.newFixedThreadPool(2));
    String name = InProcessServerBuilder.generateName();
    grpc.register(
        InProcessServerBuilder.forName(name)
            .addService(ServerInterceptors.intercept(hub.enrollment(), hub.interceptor()))
            .addService(ServerInterceptors.intercept(hub.credentials(), hub.interceptor()))
            .build()
            .start());
    ManagedChannel channel = grpc.register(InProcessChannelBuilder.forName(name).build());
    initial = new EnrollmentClient(new SecureRandom(), Duration.ofSeconds(10)).enroll(channel, hub.token("t", 1), "edge", "hub");
    hub.inProcessNodeId = initial.nodeId();
    hub.expectedBearer = "tok-1";
    store = new CredentialStore(dir.resolve("state"));
    store.save(initial);
    tls = new MutualTls(initial.privateKey(), initial.certificateChain(), initial.trustedCas());
    verifier = new TaskVerifier(initial.signingKeys());
    AgentRuntime rt = new AgentRuntime(clock, clock.scheduler(), pool, pool, new Random(7), () -> 0);
    renewer =
        new CredentialRenewer(
            initial, store, tls, verifier, channel, rt, new SecureRandom(), AgentLog.of(CredentialRenewerTest.class, LogContext.ofNode("edge")));
    grpc.onClose(renewer::stop);
  }

  SessionToken token(Duration validFor, boolean renewNow) {
    return SessionToken.newBuilder()
        .setToken("tok-1")
        .setExpiresAtUnixMs(clock.instant().plus(validFor).toEpochMilli())
        .addGrantedCapabilities("echo")
        .setRenewCredentialsNow(renewNow)
        .build();
  }

  void awaitRenewals(int n) {
    Await.until(n + " renewal(s)", () -> renewer.renewals() == n);
  }

  @Test
  void renewal_happensAroundTwoThirdsOfTheLifetime_withANewKey_andIsStoredAndInstalled() throws Exception {
    renewer.start();
    renewer.onSessionToken(token(Duration.ofDays(2), false));
    clock.advance(Duration.ofHours(14)); // 24 h * 2/3 * 0.9 = 14.4 h: not yet
    assertThat(hub.calls("Renew")).isEmpty();
    clock.advance(Duration.ofMinutes(4 * 60 + 12)); // 18.2 h > 24 h * 2/3 * 1.1 = 17.6 h
    awaitRenewals(1);

    Credentials now = renewer.current();
    assertThat(now.nodeId()).isEqualTo(initial.nodeId());
    assertThat(now.certificate().getPublicKey()).isNotEqualTo(initial.certificate().getPublicKey());
    assertThat(hub.calls("Renew")).hasSize(1);
    assertThat(hub.calls("Renew").get(0).authorization()).contains("Bearer tok-1");
    assertThat(store.load().orElseThrow().certificate()).isEqualTo(now.certificate());
    assertThat(tls.certificate()).isEqualTo(now.certificate());
  }

  @Test
  void aDueRenewal_waitsForASessionToken() {
    renewer.start();
    clock.advance(Duration.ofHours(18));
    assertThat(renewer.renewals()).isZero();
    assertThat(hub.calls("Renew")).isEmpty();
    renewer.onSessionToken(token(Duration.ofMinutes(15), false));
    awaitRenewals(1);
  }

  @Test
  void anExpiredSessionToken_isNotUsed() {
    renewer.start();
    renewer.onSessionToken(token(Duration.ofMinutes(15), false));
    clock.advance(Duration.ofHours(18)); // due, but the token died long ago
    assertThat(hub.calls("Renew")).isEmpty();
    renewer.onSessionToken(token(Duration.ofMinutes(15), false));
    awaitRenewals(1);
  }

  @Test
  void renewCredentialsNow_renewsAtOnce_andInstallsTheRotatedCasAndKeys() {
    renewer.start();
    TestCa next = TestCa.create("Cortex Test CA 2");
    TestTaskSigner nextSigner = TestTaskSigner.create();
    hub.issuer = next;
    hub.trusted = List.of(ca, next);
    hub.signers = List.of(signer, nextSigner);
    renewer.onSessionToken(token(Duration.ofMinutes(15), true));
    awaitRenewals(1);

    assertThat(tls.certificate().getIssuerX500Principal()).isEqualTo(next.cert.getSubjectX500Principal());
    assertThat(tls.trustedCas()).containsExactly(ca.cert, next.cert);
    assertThat(verifier.keyIds()).containsExactlyInAnyOrder(signer.keyId(), nextSigner.keyId());

    hub.trusted = List.of(next);
    hub.signers = List.of(nextSigner);
    renewer.onSessionToken(token(Duration.ofMinutes(15), true));
    awaitRenewals(2);
    assertThat(tls.trustedCas()).containsExactly(next.cert);
    assertThat(verifier.keyIds()).containsExactly(nextSigner.keyId());
  }

  @Test
  void aFailedRenewal_isRetried_andTheOldCredentialsServeMeanwhile() {
    renewer.start();
    hub.renewFailure = Status.UNAVAILABLE.withDescription("hub restarting");
    renewer.onSessionToken(token(Duration.ofDays(2), true));
    Await.until("refused once", () -> renewer.failures() == 1);
    assertThat(renewer.current()).isSameAs(initial);
    assertThat(tls.certificate()).isEqualTo(initial.certificate());

    hub.renewFailure = null;
    clock.advance(Duration.ofMinutes(5)); // the longest retry delay
    awaitRenewals(1);
  }

  @Test
  void aRenewalAsAnotherIdentity_isRefused_andNothingChanges() throws Exception {
    renewer.start();
    hub.renewAsNodeId = "n-someone-else";
    renewer.onSessionToken(token(Duration.ofMinutes(15), true));
    Await.until("answered and refused", () -> renewer.failures() == 1);
    assertThat(hub.issued()).hasSize(2);
    assertThat(renewer.renewals()).isZero();
    assertThat(store.load().orElseThrow().certificate()).isEqualTo(initial.certificate());
    assertThat(tls.certificate()).isEqualTo(initial.certificate());
  }

  @Test
  void expiryWithoutRenewal_saysTheNodeMustReEnroll() throws Exception {
    hub.renewFailure = Status.PERMISSION_DENIED.withDescription("node revoked");
    renewer.start();
    renewer.onSessionToken(token(Duration.ofDays(2), false));
    clock.advance(Duration.ofHours(18));
    Await.until("first attempt refused", () -> renewer.failures() == 1);
    clock.advance(Duration.ofMinutes(5));
    Await.until("retry refused", () -> renewer.failures() == 2);
    assertThat(renewer.expired()).isNotDone();
    clock.advance(Duration.ofHours(6));
    CredentialsExpiredException e = renewer.expired().get(java.util.concurrent.TimeUnit.SECONDS.toMillis(10), java.util.concurrent.TimeUnit.MILLISECONDS);
    assertThat(e.nodeId()).isEqualTo(initial.nodeId());
    assertThat(e.getMessage()).contains("must re-enroll").contains("cortex-node enroll").contains(store.stateDir().toString());
    assertThat(hub.calls("Renew").size()).isGreaterThan(1); // it kept trying until the end
  }

  @Test
  void credentialsAlreadyExpiredAtStart_areReportedAtOnce() {
    clock.advance(Duration.ofHours(25));
    renewer.start();
    assertThat(renewer.expired()).isDone();
    assertThat(hub.calls("Renew")).isEmpty();
  }
}
