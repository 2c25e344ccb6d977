package io.cortexhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.RSAKey;
import io.cortexhub.e2e.support.Await;
import io.cortexhub.e2e.support.HubClient;
import io.cortexhub.e2e.support.HubClient.JoinToken;
import io.cortexhub.e2e.support.NodeCli;
import io.cortexhub.e2e.support.NodeProcess;
import io.cortexhub.e2e.support.Pki;
import io.cortexhub.e2e.support.RawTunnelClient;
import io.cortexhub.e2e.support.Stack;
import io.cortexhub.e2e.support.TestNode;
import io.cortexhub.e2e.support.TunnelIdentity;
import io.cortexhub.e2e.support.UserTokens;
import io.cortexhub.proto.node.v1.Hello;
import io.cortexhub.proto.node.v1.Manifest;
import io.cortexhub.proto.node.v1.NodeFrame;
import io.cortexhub.proto.node.v1.TaskAssignment;
import io.cortexhub.proto.node.v1.TaskSpec;
import io.grpc.Status;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The security stack end to end, on one real hub process (Payara Micro) shared by every test and real
 * {@code cortex-node} processes: enrollment with join tokens through the real CLI, signed tasks, the REST
 * API's JWT refusals, workspace isolation between two teams, and a CA rotation that a connected node lives
 * through. Tests are independent of each other and of order; each makes what it needs under unique names.
 */
class SecurityIT {
  private static final Duration TASK_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration CLI_TIMEOUT = Duration.ofSeconds(90);

  private static Stack stack;
  private static HubClient admin;
  private static String steadyId;

  @BeforeAll
  static void startHubAndOneNode() {
    stack = Stack.startForTest("security");
    admin = stack.client();
    steadyId = stack.attachNode("steady", Map.of(), 4);
  }

  @AfterAll
  static void stopAll() {
    if (stack != null) {
      stack.close();
    }
  }

  // --- enrollment -------------------------------------------------------------------------------

  @Test
  void joinToken_enrollsOneNode_andIsRefusedTheSecondTime() {
    JoinToken token = admin.createJoinToken("default", Map.of("team", "infra"), 1);

    NodeCli.Result first = enroll(token.token(), "first-use");
    NodeCli.Result second = enroll(token.token(), "second-use");

    assertThat(first.exitCode()).as(first.toString()).isZero();
    assertThat(first.output()).contains("enrolled as node n-").contains("in workspace default");
    assertThat(second.exitCode()).as(second.toString()).isEqualTo(1);
    assertThat(second.output()).contains("join token refused: already used");
    assertThat(stack.hub().logs()).contains("join token " + token.tokenId() + " refused (USED)");
  }

  @Test
  void expiredJoinToken_isRefused() {
    JoinToken token = admin.createJoinToken("default", Map.of(), 1, Duration.ofSeconds(1));
    Await.until("join token past its expiry", Duration.ofSeconds(10), () -> Instant.now().isAfter(token.expiresAt()));

    NodeCli.Result result = enroll(token.token(), "too-late");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
    assertThat(result.output()).contains("join token refused: expired");
  }

  @Test
  void enrollment_pinningAnotherCaFingerprint_neverSendsTheToken() {
    JoinToken token = admin.createJoinToken("default", Map.of(), 1);
    String wrongPin = "sha256:" + "ab".repeat(32);

    NodeCli.Result result = NodeCli.run(CLI_TIMEOUT, "enroll", "--hub", stack.hub().tunnelAddress(),
        "--token", token.token(), "--ca-fingerprint", wrongPin,
        "--state-dir", stack.dir().resolve("enroll-wrong-pin").toString(), "--name", "wrong-pin");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
    assertThat(result.output()).contains(wrongPin.substring(7, 19));
    // The token was not spent on a hub the node did not trust: it still enrolls a node.
    assertThat(enroll(token.token(), "right-pin").exitCode()).isZero();
  }

  // --- signed tasks -----------------------------------------------------------------------------

  @Test
  void everyTaskIsSigned_withAKeyPinnedAtEnrollment_overExactlyTheTaskBytes() throws Exception {
    Path caBundle = stack.hub().caBundle();
    try (TestNode node = TestNode.enroll(admin, stack.hub().tunnelHost(), stack.hub().tunnelPort(), caBundle, "signature-checker")) {
      String nodeId = node.welcome().get(30, TimeUnit.SECONDS).getNodeId();
      node.heartbeat();
      stack.awaitOnline("signature-checker");
      String taskId = admin.submit(HubClient.object().put("kind", "echo").put("node", nodeId).put("message", "signed"))
          .path("id").asText();
      Await.until("the assignment", TASK_TIMEOUT, () -> !node.assignments().isEmpty());

      TaskAssignment assignment = node.assignments().get(0);
      TaskSpec spec = TaskSpec.parseFrom(assignment.getTask());
      PublicKey key = node.identity().orElseThrow().taskSigningKeys().get(assignment.getKeyId());
      assertThat(key).as("key id %s pinned at enrollment", assignment.getKeyId()).isNotNull();
      assertThat(verifies(key, assignment.getTask().toByteArray(), assignment.getSignature().toByteArray())).isTrue();
      byte[] flipped = assignment.getTask().toByteArray();
      flipped[flipped.length - 1] ^= 1;
      assertThat(verifies(key, flipped, assignment.getSignature().toByteArray())).isFalse();
      assertThat(spec.getTaskId()).isEqualTo(taskId);
      assertThat(spec.getNodeId()).isEqualTo(nodeId);
      assertThat(spec.getNonce().size()).isEqualTo(16);
      assertThat(spec.getNotAfterUnixMs()).isGreaterThan(spec.getIssuedAtUnixMs());
      assertThat(stack.awaitFinal(taskId, TASK_TIMEOUT).path("state").asText()).isEqualTo("SUCCEEDED");
    }
  }

  @Test
  void signedTask_runsEndToEnd_onARealNode() {
    String taskId = admin.submit(HubClient.object().put("kind", "echo").put("node", steadyId).put("message", "hello signed"))
        .path("id").asText();

    JsonNode task = stack.awaitFinal(taskId, TASK_TIMEOUT);

    assertThat(task.path("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(admin.output(taskId, 1).get(0).path("data").asText()).isEqualTo("hello signed");
  }

  // --- the REST API's tokens --------------------------------------------------------------------

  @Test
  void noToken_is401() {
    HttpResponse<String> response = anonymous().get("nodes", "application/json");

    assertProblem(response, 401, "unauthenticated");
  }

  @Test
  void aForgedTokenWithTheHubsKey_isAccepted_soEachRefusalBelowIsCausedByItsOneChange() {
    assertThat(withToken(UserTokens.sign(UserTokens.claims(c -> c), hubKey())).statusCode()).isEqualTo(200);
  }

  @Test
  void expiredToken_is401() {
    Instant now = Instant.now();
    String token = UserTokens.sign(UserTokens.claims(c -> c.issueTime(Date.from(now.minusSeconds(7200)))
        .expirationTime(Date.from(now.minusSeconds(3600)))), hubKey());

    assertRefused(token, "token expired");
  }

  @Test
  void wrongIssuer_is401() {
    assertRefused(UserTokens.sign(UserTokens.claims(c -> c.issuer("https://evil.example")), hubKey()),
        "issuer is not trusted");
  }

  @Test
  void algNone_is401() {
    assertRefused(UserTokens.unsigned(UserTokens.claims(c -> c)), "unsigned token");
  }

  @Test
  void hs256SignedWithTheHubsPublicKey_is401() {
    assertRefused(UserTokens.hs256WithPublicKey(UserTokens.claims(c -> c), hubKey()),
        "signature algorithm not accepted");
  }

  @Test
  void tamperedPayload_is401() {
    String viewerToken = UserTokens.sign(UserTokens.claims(c -> c.claim("groups", List.of("viewer"))), hubKey());

    assertRefused(UserTokens.withPayload(viewerToken, UserTokens.claims(c -> c)), "signature does not verify");
  }

  @Test
  void viewer_submitting_is403_andNothingIsQueued() {
    HubClient viewer = newUser("viewer", "*");
    int before = admin.send("GET", "tasks", null).body().size();

    HttpResponse<String> submit = viewer.postJson("tasks",
        "{\"kind\":\"echo\",\"message\":\"x\",\"node\":\"" + steadyId + "\"}");

    assertProblem(submit, 403, "forbidden");
    assertThat(viewer.get("nodes", "application/json").statusCode()).isEqualTo(200);
    assertThat(admin.send("GET", "tasks", null).body().size()).isEqualTo(before);
  }

  // --- workspaces -------------------------------------------------------------------------------

  @Test
  void twoWorkspaces_aUserOfOneCannotListReadOrSubmitInTheOther() {
    String teamA = "team-a-" + unique();
    String teamB = "team-b-" + unique();
    admin.putWorkspace(teamA, "echo", "shell");
    admin.putWorkspace(teamB, "echo", "shell");
    HubClient alice = newUser("operator", teamA);
    HubClient bob = newUser("operator", teamB);
    String bobNode = stack.attachNode("b-runner-" + teamB, NodeProcess.Options.defaults(), teamB);
    String bobTask = bob.submit(HubClient.object().put("kind", "echo").put("node", bobNode)
        .put("message", "secret of team b")).path("id").asText();
    assertThat(awaitFinal(bob, bobTask).path("state").asText()).isEqualTo("SUCCEEDED");

    // Listing: neither the other team's node nor its task.
    assertThat(alice.get("nodes", "application/json").body()).doesNotContain(bobNode);
    assertThat(alice.get("tasks", "application/json").body()).doesNotContain(bobTask);
    // Reading: 404 as if they did not exist, never their data.
    assertProblem(alice.get("nodes/" + bobNode, "application/json"), 404, "unknown-node");
    HttpResponse<String> task = alice.get("tasks/" + bobTask, "application/json");
    assertProblem(task, 404, "unknown-task");
    HttpResponse<String> output = alice.get("tasks/" + bobTask + "/output", "application/json");
    assertProblem(output, 404, "unknown-task");
    assertThat(task.body() + output.body()).doesNotContain("secret of team b");
    assertProblem(alice.get("audit/tasks/" + bobTask, "application/x-ndjson"), 404, "unknown-task");
    assertProblem(alice.postJson("tasks/" + bobTask + "/cancel", ""), 404, "unknown-task");
    // Submitting: to the other team's node from her own workspace 404, into the other workspace 403.
    assertProblem(alice.postJson("tasks", "{\"kind\":\"echo\",\"message\":\"x\",\"node\":\"" + bobNode + "\"}"),
        404, "unknown-node");
    assertProblem(alice.postJson("tasks", "{\"kind\":\"echo\",\"message\":\"x\",\"node\":\"" + bobNode
        + "\",\"workspace\":\"" + teamB + "\"}"), 403, "forbidden");
  }

  // --- CA rotation ------------------------------------------------------------------------------

  @Test
  void caRotation_connectedNodeRenewsOntoTheNewCa_andKeepsRunningTasksThroughBothPhases() {
    NodeProcess steady = stack.node("steady");
    String oldCa = caStatus().path("activeFingerprint").asText();
    assertThat(issuerOf(steady)).isEqualTo(oldCa);
    // An identity enrolled before the rotation that never renews: refused once the old CA is dropped.
    TunnelIdentity stale = TunnelIdentity.enroll(stack.hub(), admin, "default", "never-renews");

    JsonNode started = HubClient.expect(200, admin.send("POST", "ca/rotation/start", null));
    String newCa = started.path("activeFingerprint").asText();
    try {
      assertThat(newCa).isNotEqualTo(oldCa);
      assertThat(started.path("trustedFingerprints")).extracting(JsonNode::asText).containsExactly(newCa, oldCa);
      Await.until("steady renewed onto " + newCa, Duration.ofSeconds(60), () -> issuerOf(steady).equals(newCa));
      assertThat(runEcho(steadyId, "during the rotation")).isEqualTo("SUCCEEDED");
    } finally {
      JsonNode finished = HubClient.expect(200, admin.send("POST", "ca/rotation/finish", null));
      assertThat(finished.path("trustedFingerprints")).extracting(JsonNode::asText).containsExactly(newCa);
    }

    // The same stream carries on.
    assertThat(admin.nodeState("steady")).contains("ONLINE");
    assertThat(runEcho(steadyId, "after the rotation")).isEqualTo("SUCCEEDED");
    assertThat(stack.hub().caFingerprint()).isEqualTo(newCa);
    // A new connection: the node trusts the new server certificate, the hub its renewed certificate.
    String connectedAt = admin.nodeNamed("steady").orElseThrow().path("connectedAt").asText();
    steady.restart();
    Await.until("steady connected again", Stack.NODE_ONLINE_TIMEOUT, () -> admin.nodeNamed("steady")
        .filter(n -> n.path("state").asText().equals("ONLINE") && !n.path("connectedAt").asText().equals(connectedAt))
        .isPresent());
    assertThat(runEcho(steadyId, "after reconnecting")).isEqualTo("SUCCEEDED");
    // The identity still holding an old-CA certificate is refused, with the reason.
    try (RawTunnelClient client = RawTunnelClient.presenting(stack.hub(), stale.privateKey(), stale.chain())) {
      RawTunnelClient.Conversation stream = client.open();
      stream.send(NodeFrame.newBuilder().setHello(Hello.newBuilder().setProtocolVersion(1).setNodeName("never-renews")
          .setInstanceId("stale").setManifest(Manifest.newBuilder().setAgentVersion("test").setMaxConcurrentTasks(1))).build());
      Status status = stream.awaitEnd(Duration.ofSeconds(15));
      assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(status.getDescription()).contains("not issued by a CA this hub trusts");
    }
  }

  // --- helpers ----------------------------------------------------------------------------------

  private static NodeCli.Result enroll(String token, String name) {
    return NodeCli.run(CLI_TIMEOUT, "enroll", "--hub", stack.hub().tunnelAddress(), "--token", token,
        "--ca-fingerprint", stack.hub().caFingerprint(),
        "--state-dir", stack.dir().resolve("enroll-" + name).toString(), "--name", name);
  }

  private static String runEcho(String nodeId, String message) {
    String id = admin.submit(HubClient.object().put("kind", "echo").put("node", nodeId).put("message", message))
        .path("id").asText();
    return stack.awaitFinal(id, TASK_TIMEOUT).path("state").asText();
  }

  private static JsonNode awaitFinal(HubClient client, String taskId) {
    return Await.value("task " + taskId + " final", TASK_TIMEOUT, () -> {
      JsonNode task = client.task(taskId);
      return List.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT", "LOST").contains(task.path("state").asText())
          ? java.util.Optional.of(task) : java.util.Optional.empty();
    });
  }

  private static JsonNode caStatus() {
    return HubClient.expect(200, admin.send("GET", "ca", null));
  }

  /** Fingerprint of the CA that issued the certificate the node holds now. */
  private static String issuerOf(NodeProcess node) {
    List<java.security.cert.X509Certificate> chain = node.certificateChain();
    return Pki.fingerprint(chain.get(chain.size() - 1));
  }

  private static boolean verifies(PublicKey key, byte[] data, byte[] signature) throws Exception {
    Signature verifier = Signature.getInstance("Ed25519");
    verifier.initVerify(key);
    verifier.update(data);
    return verifier.verify(signature);
  }

  private static RSAKey hubKey() {
    return stack.hub().secrets().userTokenKey();
  }

  private static HubClient anonymous() {
    return new HubClient(stack.hub().restBase());
  }

  private static HttpResponse<String> withToken(String token) {
    HubClient anonymous = anonymous();
    return anonymous.exchange(HttpRequest.newBuilder(anonymous.uri("nodes"))
        .header("Accept", "application/json").header("Authorization", "Bearer " + token).GET());
  }

  private static void assertRefused(String token, String reason) {
    HttpResponse<String> response = withToken(token);

    JsonNode problem = assertProblem(response, 401, "invalid-token");
    assertThat(problem.path("detail").asText()).contains(reason);
    assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).contains("invalid_token"));
  }

  private static HubClient newUser(String role, String workspace) {
    String name = role.substring(0, 3) + "-" + unique();
    return admin.createUser(name, "password-of-" + name, List.of(role), List.of(workspace));
  }

  private static String unique() {
    return java.util.UUID.randomUUID().toString().substring(0, 8);
  }

  private static JsonNode assertProblem(HttpResponse<String> response, int status, String type) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
    JsonNode problem = HubClient.json(response);
    assertThat(problem.path("type").asText()).isEqualTo("urn:cortexhub:problem:" + type);
    assertThat(response.body()).doesNotContain("Exception");
    return problem;
  }
}
