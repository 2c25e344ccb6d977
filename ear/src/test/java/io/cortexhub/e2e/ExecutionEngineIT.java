package io.cortexhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cortexhub.e2e.support.Await;
import io.cortexhub.e2e.support.HubClient;
import io.cortexhub.e2e.support.NodeCli;
import io.cortexhub.e2e.support.NodeProcess;
import io.cortexhub.e2e.support.Pki;
import io.cortexhub.e2e.support.Scratch;
import io.cortexhub.e2e.support.Stack;
import io.cortexhub.e2e.support.TestPolicy;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The node's execution engine behind a real hub: the owner's policy refuses what it does not allow (the
 * hub records POLICY), strict consent holds a task as AWAITING_CONSENT until the owner answers with the real
 * {@code cortex-node approve|deny} against the node's socket, the audit trail is fetched through the hub and
 * verified with {@code cortex-node audit verify} against the hub's stored checkpoints, a task cannot
 * reach the network unless the policy allows it, and fs tasks submitted through the REST API write and
 * read files only inside the node's workspace root.
 *
 * <p>Two real nodes sharing one workspace root: {@code confined} (consent auto, no network, a checkpoint
 * every 3 records) and {@code strict} (consent strict, network allowed). Tests are independent of each
 * other and of order (each uses its own file names).
 */
class ExecutionEngineIT {
  private static final Duration TASK_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration CLI_TIMEOUT = Duration.ofSeconds(60);
  /** Connects to host:port with bash's /dev/tcp; exits non-zero when it cannot. */
  private static final String CONNECT = "exec 3<>/dev/tcp/$0/$1 && echo connected";

  private static Stack stack;
  private static HubClient hub;
  private static NodeProcess confined;
  private static String confinedId;
  private static NodeProcess strict;
  private static String strictId;
  private static Path workspace;

  @BeforeAll
  static void startHubAndNodes() {
    stack = Stack.startForTest("execution-engine");
    hub = stack.client();
    workspace = Scratch.newDir("execution-engine-workspace");
    TestPolicy base = TestPolicy.autoConsent().allowing("/usr/bin/echo").allowingInterpreter("/usr/bin/bash")
        .withWorkspace(workspace, true);
    confinedId = stack.attachNode("confined",
        NodeProcess.Options.defaults().withPolicy(base.withNetwork(false)).withArgs("--audit-checkpoint-every", "3"),
        "default");
    confined = stack.node("confined");
    strictId = stack.attachNode("strict",
        NodeProcess.Options.defaults().withMaxTasks(4).withPolicy(base.withConsent("strict").withNetwork(true)),
        "default");
    strict = stack.node("strict");
  }

  @AfterAll
  static void stopAll() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void commandThePolicyDoesNotAllow_failsWithPolicy_andTheRefusalIsAudited() {
    String id = hub.submitShell(confinedId, TASK_TIMEOUT, "/usr/bin/id").path("id").asText();

    JsonNode task = stack.awaitFinal(id, TASK_TIMEOUT);

    assertThat(task.path("state").asText()).isEqualTo("FAILED");
    assertThat(task.path("detail").asText()).contains("POLICY");
    assertThat(task.has("startedAt")).isFalse();
    assertThat(auditTypes(id)).contains("task.received", "task.verified", "policy.refused", "task.rejected")
        .doesNotContain("process.started");
  }

  @Test
  void strictConsent_holdsTheTaskAwaitingConsent_untilTheOwnerApprovesWithTheRealCli() {
    String id = hub.submitShell(strictId, TASK_TIMEOUT, "/usr/bin/echo", "approved by the owner").path("id").asText();
    stack.awaitState(id, "AWAITING_CONSENT", TASK_TIMEOUT);
    JsonNode pending = pendingConsentFor(id);
    assertThat(pending.path("argv").toString()).contains("approved by the owner");

    NodeCli.Result approve = NodeCli.run(CLI_TIMEOUT, "approve", pending.path("id").asText(), "--socket", socket(strict));

    assertThat(approve.exitCode()).as(approve.toString()).isZero();
    JsonNode task = stack.awaitFinal(id, TASK_TIMEOUT);
    assertThat(task.path("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(hub.output(id, 1).get(0).path("data").asText()).isEqualTo("approved by the owner\n");
    assertThat(auditTypes(id)).containsSubsequence("consent.requested", "consent.decided", "process.started", "process.exited");
  }

  @Test
  void strictConsent_deniedByTheOwner_failsWithConsentDenied_andNeverRuns() {
    String id = hub.submitShell(strictId, TASK_TIMEOUT, "/usr/bin/echo", "should never run").path("id").asText();
    stack.awaitState(id, "AWAITING_CONSENT", TASK_TIMEOUT);

    NodeCli.Result deny = NodeCli.run(CLI_TIMEOUT, "deny", pendingConsentFor(id).path("id").asText(), "--socket", socket(strict));

    assertThat(deny.exitCode()).as(deny.toString()).isZero();
    JsonNode task = stack.awaitFinal(id, TASK_TIMEOUT);
    assertThat(task.path("state").asText()).isEqualTo("FAILED");
    assertThat(task.path("detail").asText()).contains("CONSENT_DENIED");
    assertThat(hub.output(id, 1)).isEmpty();
    assertThat(auditTypes(id)).contains("consent.requested", "consent.decided").doesNotContain("process.started");
  }

  @Test
  void auditTrail_fetchedThroughTheHub_andTheNodesLogVerifiesAgainstTheHubsCheckpoints() throws IOException {
    String id = hub.submitShell(confinedId, TASK_TIMEOUT, "/usr/bin/echo", "audited").path("id").asText();
    assertThat(stack.awaitFinal(id, TASK_TIMEOUT).path("state").asText()).isEqualTo("SUCCEEDED");

    assertThat(auditTypes(id)).containsSubsequence("task.received", "task.verified", "process.started", "process.exited");
    JsonNode checkpoints = Await.value("a checkpoint of confined's log on the hub", TASK_TIMEOUT, () -> {
      JsonNode stored = HubClient.expect(200, hub.send("GET", "audit/nodes/" + confinedId + "/checkpoints", null));
      return stored.size() > 0 ? Optional.of(stored) : Optional.empty();
    });
    Path checkpointsFile = Files.writeString(confined.dir().resolve("hub-checkpoints.json"), checkpoints.toString());
    List<java.security.cert.X509Certificate> chain = confined.certificateChain();
    Path certificate = Files.writeString(confined.dir().resolve("node-cert.pem"), Pki.pem(chain.subList(0, 1)));
    Path log = confined.stateDir().resolve("audit.log");

    NodeCli.Result verified = NodeCli.run(CLI_TIMEOUT, "audit", "verify", "--log", log.toString(),
        "--checkpoints", checkpointsFile.toString(), "--public-key", certificate.toString());

    assertThat(verified.exitCode()).as(verified.toString()).isZero();
    // The same check fails on a copy whose first record was edited.
    List<String> lines = new ArrayList<>(Files.readAllLines(log, StandardCharsets.UTF_8));
    lines.set(0, lines.get(0).replace("task.received", "task.rEceived"));
    Path tampered = Files.write(confined.dir().resolve("tampered-audit.log"), lines, StandardCharsets.UTF_8);
    NodeCli.Result refused = NodeCli.run(CLI_TIMEOUT, "audit", "verify", "--log", tampered.toString(),
        "--checkpoints", checkpointsFile.toString());
    assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
  }

  @Test
  void networkEgressFromATask_fails_whereTheSameCommandConnectsWhenThePolicyAllowsNetwork() throws IOException {
    String address = hostAddress();
    try (ServerSocket listener = new ServerSocket()) {
      listener.bind(new InetSocketAddress("0.0.0.0", 0));
      String port = Integer.toString(listener.getLocalPort());

      String blocked = hub.submitShell(confinedId, TASK_TIMEOUT, "/usr/bin/bash", "-c", CONNECT, address, port)
          .path("id").asText();
      JsonNode blockedTask = stack.awaitFinal(blocked, TASK_TIMEOUT);
      assertThat(blockedTask.path("state").asText()).isEqualTo("FAILED");
      assertThat(blockedTask.path("exitCode").asInt()).isNotZero();
      assertThat(connectionsWaiting(listener, Duration.ofMillis(500))).as("connections from the confined task").isZero();

      // Control: the very same command, on a node whose policy allows network, does connect.
      String allowed = hub.submitShell(strictId, TASK_TIMEOUT, "/usr/bin/bash", "-c", CONNECT, address, port)
          .path("id").asText();
      stack.awaitState(allowed, "AWAITING_CONSENT", TASK_TIMEOUT);
      NodeCli.run(CLI_TIMEOUT, "approve", pendingConsentFor(allowed).path("id").asText(), "--socket", socket(strict));
      assertThat(stack.awaitFinal(allowed, TASK_TIMEOUT).path("state").asText()).isEqualTo("SUCCEEDED");
      assertThat(connectionsWaiting(listener, Duration.ofSeconds(2))).as("connections from the allowed task").isEqualTo(1);
    }
  }

  @Test
  void fsWriteThenRead_throughTheRestApi_roundTripsTheBytes_andTheChangeIsAuditedWithItsHashes() throws IOException {
    String text = "written through the hub\nline two ✓\n";
    ObjectNode write = fs("write").put("path", "notes/round-trip.txt").put("text", text).put("createParents", true);

    String writeId = hub.submit(fsTask(confinedId, write)).path("id").asText();

    JsonNode written = stack.awaitFinal(writeId, TASK_TIMEOUT);
    assertThat(written.path("state").asText()).as(written.toString()).isEqualTo("SUCCEEDED");
    assertThat(written.path("fs").path("op").asText()).isEqualTo("write");
    assertThat(written.toString()).doesNotContain("line two");
    assertThat(Files.readString(workspace.resolve("notes/round-trip.txt"))).isEqualTo(text);
    JsonNode result = HubClient.parse(outputText(writeId));
    assertThat(result.path("sha256After").asText()).isEqualTo(sha256(text.getBytes(StandardCharsets.UTF_8)));
    JsonNode change = auditRecords(writeId).stream().filter(r -> r.path("type").asText().equals("file.changed"))
        .findFirst().orElseThrow(() -> new AssertionError("no file.changed record for " + writeId));
    assertThat(change.toString()).contains("round-trip.txt").contains(result.path("sha256After").asText());

    String readId = hub.submit(fsTask(confinedId, fs("read").put("path", "notes/round-trip.txt"))).path("id")
        .asText();

    assertThat(stack.awaitFinal(readId, TASK_TIMEOUT).path("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(outputText(readId)).isEqualTo(text);
  }

  @Test
  void fsTraversalOutOfTheWorkspace_failsWithTheReason_andWritesNothing() throws IOException {
    Path outside = workspace.getParent().resolve("escaped-by-traversal.txt");
    ObjectNode write = fs("write").put("path", "../" + outside.getFileName()).put("text", "escaped");

    String id = hub.submit(fsTask(confinedId, write)).path("id").asText();

    JsonNode task = stack.awaitFinal(id, TASK_TIMEOUT);
    assertThat(task.path("state").asText()).isEqualTo("FAILED");
    assertThat(task.path("detail").asText()).contains("refused").contains("..");
    assertThat(outside).doesNotExist();
    assertThat(auditTypes(id)).contains("task.received", "task.verified").doesNotContain("file.changed");
  }

  @Test
  void fsWriteOnAStrictNode_waitsForTheOwner_andADenialLeavesTheFileUnwritten() {
    ObjectNode write = fs("write").put("path", "strict-denied.txt").put("text", "must not appear");
    String id = hub.submit(fsTask(strictId, write)).path("id").asText();
    stack.awaitState(id, "AWAITING_CONSENT", TASK_TIMEOUT);
    JsonNode pending = pendingConsentFor(id);
    assertThat(pending.toString()).contains("fs:write").contains("strict-denied.txt");

    NodeCli.Result deny = NodeCli.run(CLI_TIMEOUT, "deny", pending.path("id").asText(), "--socket", socket(strict));

    assertThat(deny.exitCode()).as(deny.toString()).isZero();
    JsonNode task = stack.awaitFinal(id, TASK_TIMEOUT);
    assertThat(task.path("detail").asText()).contains("CONSENT_DENIED");
    assertThat(workspace.resolve("strict-denied.txt")).doesNotExist();
  }

  @Test
  void malformedFsRequests_areRefusedByTheHub_withTheFieldNamed() {
    ObjectNode strayField = fs("read").put("path", "a.txt").put("text", "not for reads");
    ObjectNode noOperation = HubClient.object().put("kind", "fs").put("node", confinedId);

    HubClient.Response stray = hub.send("POST", "tasks", fsTask(confinedId, strayField));
    HubClient.Response missing = hub.send("POST", "tasks", noOperation);

    assertThat(stray.status()).isEqualTo(400);
    assertThat(stray.body().path("detail").asText()).contains("fs.text is not used by read");
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.body().path("detail").asText()).contains("fs tasks need an fs member");
  }

  @Test
  void theHubShowsEachNodesOwnPolicyAndConsentMode_andOffersNoWayToChangeThem() {
    JsonNode confinedNode = hub.send("GET", "nodes/" + confinedId, null).body();
    JsonNode policy = HubClient.expect(200, hub.send("GET", "nodes/" + confinedId + "/policy", null));
    JsonNode strictPolicy = HubClient.expect(200, hub.send("GET", "nodes/" + strictId + "/policy", null));

    assertThat(confinedNode.path("manifest").path("consentMode").asText()).isEqualTo("auto");
    assertThat(confinedNode.path("manifest").path("isolation").asText()).isEqualTo("bubblewrap");
    assertThat(policy.path("policy").asText()).contains("/usr/bin/echo").contains(workspace.toString());
    assertThat(policy.path("digest").asText()).isEqualTo(sha256(policy.path("policy").asText().getBytes(
        StandardCharsets.UTF_8))).isEqualTo(confinedNode.path("manifest").path("policyDigest").asText());
    assertThat(strictPolicy.path("consentMode").asText()).isEqualTo("strict");
    assertThat(hub.send("PUT", "nodes/" + confinedId + "/policy", HubClient.object().put("consent", "auto")).status())
        .isEqualTo(405);
  }

  // --- helpers ----------------------------------------------------------------------------------

  private static ObjectNode fs(String op) {
    return HubClient.object().put("op", op);
  }

  private static ObjectNode fsTask(String nodeId, ObjectNode operation) {
    ObjectNode body = HubClient.object().put("kind", "fs").put("node", nodeId).put("timeoutSeconds", 60);
    body.set("fs", operation);
    return body;
  }

  /** Everything the task wrote to stdout, decoded as UTF-8. */
  private static String outputText(String taskId) {
    StringBuilder out = new StringBuilder();
    for (JsonNode chunk : hub.output(taskId, 1)) {
      assertThat(chunk.path("encoding").asText("utf-8")).as(chunk.toString()).isNotEqualTo("base64");
      out.append(chunk.path("data").asText());
    }
    return out.toString();
  }

  private static String sha256(byte[] data) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** The audit records the node holds for this task, fetched through the hub, in log order. */
  private static List<JsonNode> auditRecords(String taskId) {
    HttpResponse<String> response = hub.get("audit/tasks/" + taskId, "application/x-ndjson");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.body().lines().filter(l -> !l.isBlank()).map(HubClient::parse).toList();
  }

  /** The audit record types the node holds for this task, fetched through the hub, in log order. */
  private static List<String> auditTypes(String taskId) {
    return auditRecords(taskId).stream().map(r -> r.path("type").asText()).toList();
  }

  /** The owner's pending request for this task, as {@code cortex-node approvals --json} lists it. */
  private static JsonNode pendingConsentFor(String taskId) {
    return Await.value("a consent request for " + taskId + " on " + socket(strict), TASK_TIMEOUT, () -> {
      NodeCli.Result listed = NodeCli.run(CLI_TIMEOUT, "approvals", "--json", "--socket", socket(strict));
      if (listed.exitCode() != 0) {
        throw new IllegalStateException(listed.toString());
      }
      for (JsonNode p : HubClient.parse(listed.output())) {
        if (p.path("taskId").asText().equals(taskId)) {
          return Optional.of(p);
        }
      }
      return Optional.empty();
    });
  }

  private static String socket(NodeProcess node) {
    return node.consentSocket().toString();
  }

  /** Accepts (and closes) every connection that arrives within {@code window}; answers how many did. */
  private static int connectionsWaiting(ServerSocket listener, Duration window) throws IOException {
    int count = 0;
    long deadline = System.nanoTime() + window.toNanos();
    while (System.nanoTime() < deadline) {
      listener.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      try (Socket ignored = listener.accept()) {
        count++;
      } catch (SocketTimeoutException e) {
        break;
      }
    }
    return count;
  }

  /**
   * An IPv4 address of this machine other than loopback: what a task would reach "outside". In an empty
   * network namespace no route leads there at all.
   */
  private static String hostAddress() throws SocketException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress a : Collections.list(nic.getInetAddresses())) {
        if (a instanceof Inet4Address) {
          return a.getHostAddress();
        }
      }
    }
    throw new AssertionError("this machine has no non-loopback IPv4 address to test egress against");
  }
}
