package io.cortexhub.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cortexhub.node.audit.CanonicalJson;
import io.cortexhub.node.audit.Checkpoint;
import io.cortexhub.node.identity.CredentialStore;
import io.cortexhub.node.identity.Credentials;
import io.cortexhub.node.policy.PolicyFile;
import io.cortexhub.node.sandbox.IsolationProbe;
import io.cortexhub.node.testing.FakeHub;
import io.cortexhub.node.testing.GrpcCleanup;
import io.cortexhub.node.testing.TlsFakeHub;
import io.cortexhub.proto.node.v1.AuditCheckpoint;
import io.cortexhub.proto.node.v1.Drain;
import io.cortexhub.proto.node.v1.EchoPayload;
import io.cortexhub.proto.node.v1.HubFrame;
import io.cortexhub.proto.node.v1.Manifest;
import io.cortexhub.proto.node.v1.NodeFrame;
import io.cortexhub.proto.node.v1.RejectReason;
import io.cortexhub.proto.node.v1.ShellPayload;
import io.cortexhub.proto.node.v1.TaskFinishedAck;
import io.cortexhub.proto.node.v1.TaskOutcome;
import io.cortexhub.proto.node.v1.TaskSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code cortex-node run} with its execution engine, as an operator runs it, against a fake hub on
 * real TLS: the local policy in the manifest, a shell task approved with {@code cortex-node
 * approve} over the real socket and run in the machine's real sandbox, signed checkpoints, and
 * {@code cortex-node audit verify} on the log the run wrote, before and after tampering.
 */
@EnabledOnOs(OS.LINUX)
class RunEngineCommandTest {
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();
  @TempDir Path dir;

  TlsFakeHub hub;
  Path state;
  Path ws;
  Path policyFile;
  Path socket;
  private final SecureRandom random = new SecureRandom();

  record Result(int code, String out, String err) {}

  @BeforeEach
  void setUp() throws Exception {
    hub = TlsFakeHub.start(grpc);
    state = dir.resolve("state");
    socket = state.resolve("consent.sock");
    ws = Files.createDirectories(dir.resolve("ws"));
    Path etc = Files.createDirectories(dir.resolve("etc"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(etc, PosixFilePermissions.fromString("rwxr-xr-x"));
    policyFile = etc.resolve("policy.yaml");
    Files.writeString(policyFile, String.join("\n",
        "version: 1",
        "consent: strict",
        "runAs: nobody",
        "workspaces:",
        "  - path: " + ws,
        "    writable: true",
        "commands:",
        "  - path: /usr/bin/true",
        ""));
    Files.setPosixFilePermissions(policyFile, PosixFilePermissions.fromString("rw-r--r--"));
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

  private TaskSpec.Builder task(String nodeId, String id) {
    byte[] nonce = new byte[16];
    random.nextBytes(nonce);
    long now = System.currentTimeMillis();
    return TaskSpec.newBuilder().setTaskId(id).setNodeId(nodeId).setRequestedBy("alice@example.com")
        .setIssuedAtUnixMs(now).setNotAfterUnixMs(now + 60_000).setNonce(ByteString.copyFrom(nonce));
  }

  @Test
  void aRealRun_asksTheOwner_runsInTheSandbox_andWritesALogThatVerifies_untilItIsTamperedWith() throws Exception {
    CompletableFuture<Result> run = CompletableFuture.supplyAsync(() -> cli(
        "run", "--hub", hub.address.toString(), "--join-token", hub.identity.token("join-engine", 1),
        "--ca-fingerprint", hub.ca.fingerprint(), "--state-dir", state.toString(),
        "--work-dir", dir.resolve("work").toString(), "--name", "edge-engine", "--policy", policyFile.toString(),
        "--consent-socket", socket.toString(), "--audit-checkpoint-every", "5", "--consent-timeout", "2m"));
    grpc.onClose(() -> run.get(30, TimeUnit.SECONDS));
    FakeHub.Stream s = hub.tunnel.nextStream(Duration.ofSeconds(60));
    Manifest m = s.next().getHello().getManifest();
    assertThat(m.getIsolation()).isEqualTo(new IsolationProbe().probe().level().wireName());
    assertThat(m.getConsentMode()).isEqualTo("strict");
    assertThat(m.getPolicyDigest()).isEqualTo(PolicyFile.load(policyFile).digest());
    assertThat(m.getPolicy()).contains("/usr/bin/true");
    assertThat(m.getCapabilitiesList()).extracting(c -> c.getName()).containsExactly("echo", "fs", "shell");

    Credentials creds = new CredentialStore(state).load().orElseThrow();
    s.welcome(creds.nodeId(), 60_000);
    s.grant("echo", "shell", "fs");
    s.assign(hub.signer.assignment(task(creds.nodeId(), "e-1")
        .setCapability("echo").setEcho(EchoPayload.newBuilder().setMessage(ByteString.copyFromUtf8("hi"))).build()));
    assertThat(s.nextMatching(NodeFrame::hasTaskFinished).getTaskFinished().getOutcome())
        .isEqualTo(TaskOutcome.TASK_OUTCOME_SUCCEEDED);

    s.assign(hub.signer.assignment(task(creds.nodeId(), "sh-1")
        .setCapability("shell").setShell(ShellPayload.newBuilder().addArgv("true")).build()));
    assertThat(s.nextMatching(NodeFrame::hasAwaitingConsent).getAwaitingConsent().getPrompt())
        .contains("[\"/usr/bin/true\"]").contains("alice@example.com");
    Result listed = cli("approvals", "--socket", socket.toString(), "--json");
    assertThat(listed.code()).as(listed.err()).isZero();
    Object pending = CanonicalJson.parse(listed.out().strip());
    @SuppressWarnings("unchecked")
    String id = (String) ((List<Map<String, Object>>) pending).get(0).get("id");
    Result approved = cli("approve", id, "--socket", socket.toString());
    assertThat(approved.code()).as(approved.err()).isZero();
    assertThat(s.nextMatching(NodeFrame::hasTaskAccepted).getTaskAccepted().getTaskId()).isEqualTo("sh-1");
    NodeFrame finished = s.nextMatching(NodeFrame::hasTaskFinished);
    assertThat(finished.getTaskFinished().getOutcome()).as(finished.getTaskFinished().getDetail())
        .isEqualTo(TaskOutcome.TASK_OUTCOME_SUCCEEDED);

    for (String t : List.of("e-1", "sh-1")) {
      s.send(HubFrame.newBuilder().setFinishedAck(TaskFinishedAck.newBuilder().setTaskId(t)).build());
    }
    s.send(HubFrame.newBuilder().setDrain(Drain.newBuilder().setReason("test over")).build());
    Result r = run.get(60, TimeUnit.SECONDS);
    assertThat(r.code()).as(r.err()).isZero();

    List<Checkpoint> fromHub = new ArrayList<>();
    for (NodeFrame f : s.all()) {
      if (f.hasAuditCheckpoint()) {
        AuditCheckpoint c = f.getAuditCheckpoint();
        fromHub.add(new Checkpoint(c.getTreeSize(), c.getRootHash().toByteArray(), c.getLastRecordHash().toByteArray(),
            c.getCreatedAtUnixMs(), c.getSignature().toByteArray(), c.getSignatureAlgorithm()));
      }
    }
    assertThat(fromHub).isNotEmpty();
    assertThat(fromHub).allMatch(c -> c.verify(creds.certificate().getPublicKey()));
    Path hubCheckpoints = dir.resolve("hub-checkpoints.json");
    Files.writeString(hubCheckpoints, CanonicalJson.write(fromHub.stream().map(Checkpoint::toJsonMap).toList()));
    Path cert = dir.resolve("node-cert.pem");
    Files.writeString(cert, "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(creds.certificate().getEncoded())
        + "\n-----END CERTIFICATE-----\n");
    Path log = state.resolve("audit.log");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log))).isEqualTo("rw-------");

    Result ok = cli("audit", "verify", "--log", log.toString(), "--public-key", cert.toString(),
        "--checkpoints", hubCheckpoints.toString());
    assertThat(ok.code()).as(ok.out() + ok.err()).isZero();
    assertThat(ok.out()).startsWith("OK:");
    String text = Files.readString(log);
    assertThat(text).contains("\"type\":\"consent.decided\"").contains("\"type\":\"process.started\"");

    Files.writeString(log, text.replaceFirst("\"outcome\":\"SUCCEEDED\"", "\"outcome\":\"FAILED\""));
    Result tampered = cli("audit", "verify", "--log", log.toString(), "--public-key", cert.toString(),
        "--checkpoints", hubCheckpoints.toString());
    assertThat(tampered.code()).isEqualTo(ExitCodes.FAILURE);
    assertThat(tampered.out() + tampered.err()).contains("FAILED").contains("edited");
  }

  @Test
  void aMachineWithoutBubblewrap_bySetting_reportsTheLowerLevel_andAPolicyDemandingBubblewrapRefusesTasks()
      throws Exception {
    Files.writeString(policyFile, Files.readString(policyFile).replace("consent: strict", "consent: auto")
        + "minimumIsolation: bubblewrap\n");
    CompletableFuture<Result> run = CompletableFuture.supplyAsync(() -> cli(
        "run", "--hub", hub.address.toString(), "--join-token", hub.identity.token("join-poorer", 1),
        "--ca-fingerprint", hub.ca.fingerprint(), "--state-dir", state.toString(),
        "--work-dir", dir.resolve("work").toString(), "--name", "edge-poorer", "--policy", policyFile.toString(),
        "--consent-socket", socket.toString(), "--without", "bubblewrap,unshare"));
    grpc.onClose(() -> run.get(30, TimeUnit.SECONDS));
    FakeHub.Stream s = hub.tunnel.nextStream(Duration.ofSeconds(60));

    Manifest m = s.next().getHello().getManifest();

    assertThat(m.getIsolation()).isEqualTo("setpriv");
    Credentials creds = new CredentialStore(state).load().orElseThrow();
    s.welcome(creds.nodeId(), 60_000);
    s.grant("echo", "shell", "fs");
    s.assign(hub.signer.assignment(task(creds.nodeId(), "sh-weak")
        .setCapability("shell").setShell(ShellPayload.newBuilder().addArgv("true")).build()));
    NodeFrame refused = s.nextMatching(NodeFrame::hasTaskRejected);
    assertThat(refused.getTaskRejected().getReason()).isEqualTo(RejectReason.REJECT_REASON_POLICY);
    assertThat(refused.getTaskRejected().getDetail())
        .contains("requires isolation bubblewrap").contains("only setpriv");
    s.send(HubFrame.newBuilder().setDrain(Drain.newBuilder().setReason("test over")).build());
    Result r = run.get(60, TimeUnit.SECONDS);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.readString(state.resolve("audit.log"))).contains("\"type\":\"policy.refused\"")
        .doesNotContain("\"type\":\"process.started\"");
  }

  @Test
  void run_withPromptButNoTerminal_isRefused_pointingToTheApprovalsCommands() {
    Result r = cli("run", "--hub", hub.address.toString(), "--state-dir", state.toString(), "--prompt");

    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--prompt needs an interactive terminal").contains("cortex-node approve|deny ID");
  }

  @Test
  void run_rejectsAnUnknownPrimitive_namingTheKnownOnes() {
    Result r = cli("run", "--hub", hub.address.toString(), "--state-dir", state.toString(), "--without", "docker");

    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("'docker' is not a sandbox primitive")
        .contains("bubblewrap, unshare, setpriv, cgroup-v2, cgroup-v1, prlimit");
  }

  @Test
  void run_refusesToStart_whenTheAuditLogWouldLieInAWritableRoot() {
    Result r = cli("run", "--hub", hub.address.toString(), "--state-dir", state.toString(),
        "--policy", policyFile.toString(), "--audit-log", ws.resolve("audit.log").toString());

    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains(ws.resolve("audit.log") + " lies inside the writable workspace root " + ws);
    assertThat(ws.resolve("audit.log")).doesNotExist();
  }

  @Test
  void run_refusesToStart_withABrokenPolicy_namingFileLineAndKey() throws Exception {
    Files.writeString(policyFile, "version: 1\nnetwork: yes\n");

    Result r = cli("run", "--hub", hub.address.toString(), "--state-dir", state.toString(), "--policy", policyFile.toString());

    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--policy: ").contains(policyFile.toString()).contains("line 2").contains("network");
  }
}
