package io.cortexhub.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cortexhub.node.identity.CredentialStore;
import io.cortexhub.node.identity.Credentials;
import io.cortexhub.node.testing.FakeHub;
import io.cortexhub.node.testing.GrpcCleanup;
import io.cortexhub.node.testing.TestCa;
import io.cortexhub.node.testing.TlsFakeHub;
import io.cortexhub.proto.node.v1.Drain;
import io.cortexhub.proto.node.v1.EchoPayload;
import io.cortexhub.proto.node.v1.HubFrame;
import io.cortexhub.proto.node.v1.NodeFrame;
import io.cortexhub.proto.node.v1.TaskSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code cortex-node enroll} and {@code run} as an operator uses them, against a fake hub on real TLS. */
class EnrollAndRunCommandTest {
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();
  @TempDir Path dir;

  TlsFakeHub hub;
  Path state;

  record Result(int code, String out, String err) {}

  @BeforeEach
  void startHub() throws Exception {
    hub = TlsFakeHub.start(grpc);
    state = dir.resolve("state");
  }

  static Result cli(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  CompletableFuture<Result> cliInBackground(String... args) {
    CompletableFuture<Result> f = CompletableFuture.supplyAsync(() -> cli(args));
    grpc.onClose(() -> f.get(30, TimeUnit.SECONDS));
    return f;
  }

  String hubArg() {
    return hub.address.toString();
  }

  Result enroll(String token, String fingerprint, String... extra) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of("enroll", "--hub", hubArg(), "--token", token, "--ca-fingerprint", fingerprint, "--state-dir", state.toString(), "--name", "edge-cli"));
    args.addAll(List.of(extra));
    return cli(args.toArray(String[]::new));
  }

  @Test
  void enroll_storesPrivateCredentials_andSaysHowToStart() throws Exception {
    Result r = enroll(hub.identity.token("join-1", 1), hub.ca.fingerprint());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("enrolled as node n-00000000000000000001 in workspace default")
        .contains("trusting hub CA " + hub.ca.fingerprint())
        .contains("cortex-node run --state-dir " + state);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state))).isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("credentials.pem")))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("node.properties")))).isEqualTo("rw-------");
    Credentials c = new CredentialStore(state).load().orElseThrow();
    assertThat(c.signingKeys()).extracting(k -> k.keyId()).containsExactly(hub.signer.keyId());
    assertThat(new CredentialStore(state).loadProfile().orElseThrow().nodeName()).isEqualTo("edge-cli");
  }

  @Test
  void enroll_withARefusedToken_exits1_andSaysToGetANewToken() {
    Result r = enroll("not-a-token", hub.ca.fingerprint());
    assertThat(r.code()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.err()).startsWith("cortex-node: error: the hub at " + hubArg()).contains("refused the join token").contains("ask an admin");
    assertThat(state.resolve("credentials.pem")).doesNotExist();
  }

  @Test
  void enroll_withAWrongCaFingerprint_exits1_beforeTheTokenLeavesTheNode() {
    Result r = enroll(hub.identity.token("join-2", 1), hub.nextCa.fingerprint());
    assertThat(r.code()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.err()).contains("cannot verify the hub").contains("does not contain the pinned CA " + hub.nextCa.fingerprint());
    assertThat(hub.identity.calls("Enroll")).isEmpty();
  }

  @Test
  void enroll_doesNotReplaceValidCredentials_unlessForced() {
    assertThat(enroll(hub.identity.token("a", 1), hub.ca.fingerprint()).code()).isZero();
    Result again = enroll(hub.identity.token("b", 1), hub.ca.fingerprint());
    assertThat(again.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(again.err()).contains("already holds valid credentials of node n-00000000000000000001").contains("--force");
    Result forced = enroll(hub.identity.token("c", 1), hub.ca.fingerprint(), "--force");
    assertThat(forced.code()).as(forced.err()).isZero();
    assertThat(forced.out()).contains("enrolled as node n-00000000000000000002");
  }

  @Test
  void run_withAJoinToken_enrollsFirst_thenRunsSignedTasksOverMutualTls_andAPlainRunReusesTheIdentity() throws Exception {
    CompletableFuture<Result> first =
        cliInBackground(
            "run", "--hub", hubArg(), "--join-token", hub.identity.token("join-run", 1), "--ca-fingerprint", hub.ca.fingerprint(),
            "--state-dir", state.toString(), "--work-dir", dir.resolve("work").toString(), "--name", "edge-cli");
    FakeHub.Stream s = hub.tunnel.nextStream(Duration.ofSeconds(20));
    assertThat(s.next().getHello().getNodeName()).isEqualTo("edge-cli");
    X509Certificate presented = hub.identity.calls("Connect").get(0).clientCert().orElseThrow();
    Credentials stored = new CredentialStore(state).load().orElseThrow();
    assertThat(presented).isEqualTo(stored.certificate());
    s.welcome(stored.nodeId(), 1000);
    s.grant("echo", "shell");
    long now = System.currentTimeMillis();
    s.assign(
        hub.signer.assignment(
            TaskSpec.newBuilder()
                .setTaskId("cli-1")
                .setNodeId(stored.nodeId())
                .setCapability("echo")
                .setIssuedAtUnixMs(now)
                .setNotAfterUnixMs(now + 60_000)
                .setNonce(ByteString.copyFrom(new byte[16]))
                .setEcho(EchoPayload.newBuilder().setMessage(ByteString.copyFromUtf8("from the cli")))
                .build()));
    assertThat(s.nextMatching(NodeFrame::hasOutput).getOutput().getData().toStringUtf8()).isEqualTo("from the cli");
    s.ack("cli-1", 1);
    s.send(HubFrame.newBuilder().setFinishedAck(io.cortexhub.proto.node.v1.TaskFinishedAck.newBuilder().setTaskId("cli-1")).build());
    s.send(HubFrame.newBuilder().setDrain(Drain.newBuilder().setReason("test over")).build());
    Result r1 = first.get(20, TimeUnit.SECONDS);
    assertThat(r1.code()).as(r1.err()).isZero();
    assertThat(state.resolve("replay-cache.bin")).exists();

    // Enrolled now: a plain run needs neither hub address, nor token, nor CA.
    CompletableFuture<Result> second = cliInBackground("run", "--state-dir", state.toString(), "--work-dir", dir.resolve("work").toString());
    FakeHub.Stream s2 = hub.tunnel.nextStream(Duration.ofSeconds(20));
    assertThat(s2.next().getHello().getNodeName()).isEqualTo("edge-cli");
    List<io.cortexhub.node.testing.FakeIdentityHub.Call> connects = hub.identity.calls("Connect");
    assertThat(connects.get(connects.size() - 1).clientCert()).contains(stored.certificate());
    assertThat(hub.identity.calls("Enroll")).hasSize(1);
    s2.welcome(stored.nodeId(), 1000);
    s2.send(HubFrame.newBuilder().setDrain(Drain.newBuilder().setReason("test over")).build());
    assertThat(second.get(20, TimeUnit.SECONDS).code()).isZero();
  }

  @Test
  void run_withExpiredCredentials_exits3_andSaysToReEnroll() throws Exception {
    KeyPair keys = TestCa.ecKeys();
    Instant past = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(2));
    X509Certificate expired = hub.ca.issueNode(keys.getPublic(), "n-offline", "default", past, past.plus(Duration.ofDays(1)));
    new CredentialStore(state)
        .save(
            Credentials.fromBundle(
                hub.ca.bundle(expired, "n-offline", "default", List.of(hub.ca), List.of(hub.signer.signingKey())), keys.getPrivate()));

    Result r = cli("run", "--hub", hubArg(), "--state-dir", state.toString(), "--work-dir", dir.resolve("work").toString());
    assertThat(r.code()).isEqualTo(ExitCodes.REENROLL);
    assertThat(r.err())
        .contains("the certificate of node n-offline expired at " + past.plus(Duration.ofDays(1)))
        .contains("must re-enroll")
        .contains("cortex-node enroll --hub HOST:PORT --token TOKEN")
        .contains("--state-dir " + state);
    assertThat(hub.identity.calls("Connect")).isEmpty();
  }
}
