package io.cortexhub.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortexhub.node.audit.AuditLog;
import io.cortexhub.node.audit.AuditTypes;
import io.cortexhub.node.audit.Checkpoint;
import io.cortexhub.node.audit.KeyCheckpointSigner;
import io.cortexhub.node.consent.ConsentBroker;
import io.cortexhub.node.consent.ConsentDecision;
import io.cortexhub.node.consent.ConsentRequest;
import io.cortexhub.node.consent.ConsentSocketServer;
import io.cortexhub.node.testing.FakeClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code cortex-node audit verify}, {@code approvals}, {@code approve} and {@code deny} as a user runs them. */
class AuditAndConsentCommandsTest {
  @TempDir Path dir;
  private final FakeClock clock = new FakeClock(Instant.parse("2025-01-01T00:00:00Z"));

  record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  private static KeyPair keys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  @Test
  void auditVerify_passesAnIntactLog_andNamesTheFirstBadLineOfATamperedOne() throws Exception {
    KeyPair kp = keys();
    Path log = dir.resolve("audit.log");
    List<Checkpoint> hub = new ArrayList<>();
    try (AuditLog a = AuditLog.open(log, new KeyCheckpointSigner(kp.getPrivate()), 3, clock, hub::add)) {
      for (int i = 0; i < 7; i++) {
        a.append(AuditTypes.PROCESS_EXITED, "t-" + i, Map.of("exitCode", i));
      }
    }
    Path pem = dir.resolve("node.pub.pem");
    Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(kp.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n");
    Path checkpoints = dir.resolve("checkpoints.json");
    Files.writeString(checkpoints, "[\n  " + String.join(",\n  ", hub.stream().map(Checkpoint::toJson).toList()) + "\n]\n");

    Result ok = run("audit", "verify", "--log", log.toString(), "--public-key", pem.toString(),
        "--checkpoints", checkpoints.toString());
    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(ok.out()).startsWith("OK: " + log + ": 10 records, 3 checkpoints in the log, 3 hub checkpoints matched;"
        + " signatures verified");
    assertThat(run("audit", "verify", "--log", log.toString()).out()).contains("signatures NOT verified");

    List<String> lines = new ArrayList<>(Files.readAllLines(log));
    lines.remove(1);
    Files.write(log, lines);
    Result bad = run("audit", "verify", "--log", log.toString(), "--checkpoints", checkpoints.toString());
    assertThat(bad.code()).isEqualTo(ExitCodes.FAILURE);
    assertThat(bad.out()).startsWith("FAILED: " + log
        + ": first bad record at line 2: record seq 2 is missing before this line: deleted");

    Files.write(log, lines.subList(0, 3));
    Result cut = run("audit", "verify", "--log", log.toString(), "--checkpoints", checkpoints.toString());
    assertThat(cut.code()).isEqualTo(ExitCodes.FAILURE);
    assertThat(cut.out()).contains("log truncated");
  }

  @Test
  void auditVerify_badArguments_areUsageErrors() throws Exception {
    Path log = dir.resolve("audit.log");
    Files.writeString(log, "");
    Path junk = dir.resolve("junk");
    Files.writeString(junk, "not pem, not json");
    assertThat(run("audit", "verify", "--log", dir.resolve("none").toString()).err()).contains("--log: no such file");
    Result key = run("audit", "verify", "--log", log.toString(), "--public-key", junk.toString());
    assertThat(key.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(key.err()).contains("--public-key").contains("PUBLIC KEY");
    Result cps = run("audit", "verify", "--log", log.toString(), "--checkpoints", junk.toString());
    assertThat(cps.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(cps.err()).contains("--checkpoints");
    assertThat(run("audit").err()).contains("missing command: verify");
    assertThat(run("audit", "verify", "--log", log.toString()).code()).as("an empty log is intact").isZero();
  }

  @Test
  void approvalsApproveDeny_talkToTheRunningAgent() {
    ExecutorService pool = Executors.newCachedThreadPool();
    ConsentBroker broker = new ConsentBroker(clock, clock.scheduler(), Duration.ofMinutes(5), new Random(5));
    Path socket = dir.resolve("c").resolve("consent.sock");
    try (ConsentSocketServer server = new ConsentSocketServer(socket, broker, pool)) {
      server.start();
      assertThat(run("approvals", "--socket", socket.toString()).out()).contains("No requests are waiting");

      CompletableFuture<ConsentDecision> push = broker.request(
          new ConsentRequest("t-1", List.of("/usr/bin/git", "push"), "/ws", "carol", "push main"));
      CompletableFuture<ConsentDecision> rm = broker.request(
          new ConsentRequest("t-2", List.of("/usr/bin/rm", "x"), "/ws", "carol", ""));
      String pushId = broker.pendingFor("t-1").orElseThrow().id();
      String rmId = broker.pendingFor("t-2").orElseThrow().id();

      Result list = run("approvals", "--socket", socket.toString());
      assertThat(list.code()).isZero();
      assertThat(list.out()).contains(pushId + "  task t-1  requested by carol")
          .contains("argv: [\"/usr/bin/git\",\"push\"]").contains("cwd:  /ws").contains("what: push main");
      assertThat(run("approvals", "--socket", socket.toString(), "--json").out()).startsWith("[{\"argv\":");

      Result approved = run("approve", pushId, "--socket", socket.toString());
      assertThat(approved.code()).isZero();
      assertThat(approved.out()).contains("approved " + pushId + " (task t-1)");
      assertThat(push.join().approved()).isTrue();

      assertThat(run("deny", rmId, "--socket", socket.toString()).out()).contains("denied " + rmId);
      assertThat(rm.join().approved()).isFalse();

      Result again = run("approve", rmId, "--socket", socket.toString());
      assertThat(again.code()).isEqualTo(ExitCodes.FAILURE);
      assertThat(again.err()).contains("cortex-node approve: no pending request with id " + rmId);
    } finally {
      pool.shutdownNow();
    }
    Result gone = run("approvals", "--socket", socket.toString());
    assertThat(gone.code()).isEqualTo(ExitCodes.FAILURE);
    assertThat(gone.err()).contains("no cortex-node agent is listening on " + socket);
    assertThat(run("approve", "--socket", socket.toString()).err()).contains("Missing required parameter: 'ID'");
  }
}
