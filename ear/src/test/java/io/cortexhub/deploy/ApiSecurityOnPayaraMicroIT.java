package io.cortexhub.deploy;

import static io.cortexhub.e2e.support.HubClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import io.cortexhub.e2e.support.Await;
import io.cortexhub.e2e.support.HubClient;
import io.cortexhub.e2e.support.HubProcess;
import io.cortexhub.e2e.support.TestNode;
import io.cortexhub.e2e.support.UserTokens;
import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What Payara's MP-JWT really enforces on the hub's REST API, with the real WAR on Payara Micro:
 * each bad token of the contract is sent and refused (401 problem naming the reason), roles are
 * enforced per resource (viewer reads but cannot submit: 403), the token endpoint and its failures,
 * two workspaces that see nothing of each other, and the admin resources.
 *
 * <p>Tokens are minted here with the hub's own signing key, read from its data dir as an attacker
 * never could: a control test shows such a token is accepted, so each refusal is caused by the one
 * thing changed. Tests are independent of each other and of order.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ApiSecurityOnPayaraMicroIT {

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  @ArquillianResource private URL base;

  private HubClient anonymous;
  private HubClient admin;

  /** The same WAR as HubOnPayaraMicroIT, at context root "/". */
  @Deployment(testable = false)
  static WebArchive hubWar() {
    File war = new File(System.getProperty("cortex.it.micro-war", "target/cortex-hub.war"));
    return ShrinkWrap.create(ZipImporter.class, "ROOT.war").importFrom(war).as(WebArchive.class);
  }

  @BeforeEach
  void clients() {
    anonymous = HubClient.atRoot(URI.create("http://localhost:" + base.getPort() + "/"));
    admin = anonymous.withLogin(HubProcess.ADMIN_USER, HubProcess.ADMIN_PASSWORD);
  }

  @Test
  void noToken_is401Unauthenticated_withABearerChallenge() {
    HttpResponse<String> response = anonymous.get("/api/v1/nodes", "application/json");

    JsonNode problem = assertProblem(response, 401, "unauthenticated");
    assertThat(problem.path("detail").asText()).contains("/api/v1/auth/token");
    assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
        v -> assertThat(v).startsWith("Bearer"));
  }

  @Test
  void aTokenMintedWithTheHubKey_isAccepted_soEachRefusalBelowIsCausedByItsOneChange() {
    HttpResponse<String> response = withToken(mint(c -> c), "/api/v1/nodes");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  @Test
  void expiredToken_isRefused() {
    Instant now = Instant.now();
    String token = mint(c -> c.issueTime(Date.from(now.minusSeconds(7200)))
        .expirationTime(Date.from(now.minusSeconds(3600))));

    assertRefused(token, "token expired");
  }

  @Test
  void notYetValidToken_isRefused() {
    String token = mint(c -> c.notBeforeTime(Date.from(Instant.now().plusSeconds(3600))));

    assertRefused(token, "token not valid yet");
  }

  @Test
  void wrongIssuer_isRefused() {
    assertRefused(mint(c -> c.issuer("https://evil.example")), "issuer is not trusted");
  }

  @Test
  void wrongAudience_isRefused() {
    assertRefused(mint(c -> c.audience("cortex-node")), "audience does not include this API");
  }

  @Test
  void algNone_isRefused() {
    assertRefused(UserTokens.unsigned(claims(c -> c)), "unsigned token");
  }

  @Test
  void hs256SignedWithThePublicKey_isRefused() {
    assertRefused(UserTokens.hs256WithPublicKey(claims(c -> c), hubKey()), "signature algorithm not accepted");
  }

  @Test
  void tamperedPayload_isRefused() {
    String[] good = mint(c -> c.claim("groups", List.of("viewer"))).split("\\.");
    String elevated = claims(c -> c.claim("groups", List.of("admin"))).toPayload().toBase64URL()
        .toString();

    assertRefused(good[0] + "." + elevated + "." + good[2], "signature does not verify");
  }

  @Test
  void tokenSignedByAnotherKey_isRefused() throws Exception {
    RSAKey other = new RSAKeyGenerator(3072).generate();

    assertRefused(UserTokens.sign(claims(c -> c), other), "signature does not verify");
  }

  @Test
  void es256TokenOfAForeignEcKey_isRefused() throws Exception {
    ECKey foreign = new ECKeyGenerator(Curve.P_256).generate();

    assertRefused(UserTokens.signEs256(claims(c -> c), foreign), "signature algorithm not accepted");
  }

  @Test
  void viewer_readsButCannotSubmit_norManageUsers() {
    HubClient viewer = newUser("viewer");

    HttpResponse<String> nodes = viewer.get("/api/v1/nodes", "application/json");
    HttpResponse<String> submit = viewer.postJson("/api/v1/tasks",
        "{\"kind\":\"echo\",\"message\":\"x\",\"selector\":{\"it-node\":\"nobody\"}}");
    HttpResponse<String> users = viewer.get("/api/v1/users", "application/json");

    assertThat(nodes.statusCode()).as(nodes.body()).isEqualTo(200);
    assertProblem(submit, 403, "forbidden");
    assertProblem(users, 403, "forbidden");
  }

  @Test
  void operator_submitsAndCancels_butCannotManageUsers() {
    HubClient operator = newUser("operator");

    HttpResponse<String> created = operator.postJson("/api/v1/tasks",
        "{\"kind\":\"echo\",\"message\":\"x\",\"selector\":{\"it-node\":\"nobody\"}}");
    String id = json(created).path("id").asText();
    HttpResponse<String> cancelled = operator.postJson("/api/v1/tasks/" + id + "/cancel", "");

    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(cancelled.statusCode()).isEqualTo(202);
    assertProblem(operator.postJson("/api/v1/users", "{}"), 403, "forbidden");
  }

  @Test
  void tokenEndpoint_wrongPassword_is401InvalidCredentials() {
    HttpResponse<String> response = anonymous.postJson("/api/v1/auth/token",
        "{\"username\":\"admin\",\"password\":\"not-the-password\"}");

    assertProblem(response, 401, "invalid-credentials");
  }

  @Test
  void tokenEndpoint_tokenSaysWhoTheCallerIs() {
    JsonNode me = json(admin.get("/api/v1/auth/me", "application/json"));

    assertThat(me.path("name").asText()).isEqualTo("admin");
    assertThat(me.path("roles").toString()).isEqualTo("[\"admin\"]");
    assertThat(me.path("workspaces").toString()).isEqualTo("[\"*\"]");
  }

  @Test
  void jwksAndHealth_areOpen() {
    assertThat(anonymous.get("/api/v1/auth/jwks", "*/*").body()).contains("\"kty\":\"RSA\"", hubKey().getKeyID())
        .doesNotContain("\"d\"");
    assertThat(anonymous.get("/health/live", "application/json").statusCode()).isEqualTo(200);
  }

  @Test
  void twoWorkspaces_aCallerOfOneSeesNothingOfTheOther_andCannotActInIt() throws Exception {
    HttpResponse<String> made = admin.exchange(HttpRequest.newBuilder(admin.uri("workspaces/team-b"))
        .header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"grantedCapabilities\":[\"*\"]}")));
    assertThat(made.statusCode()).as(made.body()).isEqualTo(200);
    HubClient bob = newUser("operator", "team-b");
    Path caPem = Path.of(System.getProperty("cortex.it.work-dir"), "micro-data", "pki", "ca.pem");
    Await.until("the hub's CA at " + caPem, READY_TIMEOUT, () -> caPem.toFile().isFile());
    String name = "ws-" + UUID.randomUUID().toString().substring(0, 8);
    try (TestNode node = TestNode.enroll(admin, "localhost",
        Integer.getInteger("cortex.it.micro.tunnel-port"), caPem, name)) {
      String nodeId = node.welcome().get(30, TimeUnit.SECONDS).getNodeId();
      node.heartbeat();
      Await.until("node " + name + " listed", READY_TIMEOUT,
          () -> admin.get("nodes/" + nodeId, "application/json").statusCode() == 200);
      HttpResponse<String> created = admin.postJson("tasks", "{\"kind\":\"echo\",\"message\":"
          + "\"secret of default\",\"workspace\":\"default\",\"selector\":{\"it-node\":\"nobody\"}}");
      String taskId = json(created).path("id").asText();

      // Listing: neither the default workspace's node nor its task.
      assertThat(bob.get("nodes", "application/json").body()).doesNotContain(nodeId);
      assertThat(bob.get("tasks", "application/json").body()).doesNotContain(taskId);
      // Reading: 404 as if they did not exist, never their data.
      assertProblem(bob.get("nodes/" + nodeId, "application/json"), 404, "unknown-node");
      HttpResponse<String> task = bob.get("tasks/" + taskId, "application/json");
      assertProblem(task, 404, "unknown-task");
      assertThat(task.body()).doesNotContain("secret of default");
      assertProblem(bob.get("tasks/" + taskId + "/output", "application/json"), 404,
          "unknown-task");
      assertProblem(bob.postJson("tasks/" + taskId + "/cancel", ""), 404, "unknown-task");
      // Submitting to the other workspace's node: 404 from its own workspace, 403 into the other.
      assertProblem(bob.postJson("tasks", "{\"kind\":\"echo\",\"message\":\"x\",\"node\":\""
          + nodeId + "\"}"), 404, "unknown-node");
      assertProblem(bob.postJson("tasks", "{\"kind\":\"echo\",\"message\":\"x\",\"node\":\""
          + nodeId + "\",\"workspace\":\"default\"}"), 403, "forbidden");
      assertThat(json(admin.get("tasks/" + taskId, "application/json")).path("state").asText())
          .isEqualTo("QUEUED");
    }
  }

  @Test
  void joinToken_createdListedAndRevoked_secretShownOnce() {
    HttpResponse<String> created = admin.postJson("join-tokens",
        "{\"workspace\":\"default\",\"labels\":{\"os\":\"linux\"},\"ttlSeconds\":600}");

    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode token = json(created);
    String id = token.path("tokenId").asText();
    assertThat(token.path("token").asText()).isNotBlank();
    assertThat(token.path("workspace").asText()).isEqualTo("default");
    HttpResponse<String> listed = admin.get("join-tokens", "application/json");
    assertThat(listed.body()).contains(id).doesNotContain(token.path("token").asText());
    HttpResponse<String> revoked = admin.exchange(
        HttpRequest.newBuilder(admin.uri("join-tokens/" + id)).DELETE());
    assertThat(revoked.statusCode()).isEqualTo(204);
    assertProblem(newUser("viewer", "*").postJson("join-tokens", "{}"), 403, "forbidden");
  }

  @Test
  void caStatus_isReadByAdmins_andItsRotationNeedsAnAdminOfEveryWorkspace() {
    HubClient teamAdmin = newUser("admin", "default");

    HttpResponse<String> status = admin.get("ca", "application/json");
    HttpResponse<String> start = teamAdmin.postJson("ca/rotation/start", "");

    assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
    assertThat(json(status).path("activeFingerprint").asText()).startsWith("sha256:");
    assertProblem(start, 403, "forbidden");
  }

  /** A new user with this one role (every workspace), logged in. */
  private HubClient newUser(String role) {
    return newUser(role, "*");
  }

  /** A new user with this one role and workspace, logged in. */
  private HubClient newUser(String role, String workspace) {
    String name = role.substring(0, 3) + "-" + UUID.randomUUID().toString().substring(0, 8);
    String password = "password-of-" + name;
    HttpResponse<String> created = admin.postJson("/api/v1/users", "{\"username\":\"" + name
        + "\",\"password\":\"" + password + "\",\"roles\":[\"" + role
        + "\"],\"workspaces\":[\"" + workspace + "\"]}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return anonymous.withLogin(name, password);
  }

  private void assertRefused(String token, String reason) {
    HttpResponse<String> response = withToken(token, "/api/v1/nodes");

    JsonNode problem = assertProblem(response, 401, "invalid-token");
    assertThat(problem.path("detail").asText()).contains(reason);
    assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
        v -> assertThat(v).contains("invalid_token"));
  }

  private HttpResponse<String> withToken(String token, String path) {
    return anonymous.exchange(HttpRequest.newBuilder(anonymous.uri(path))
        .header("Accept", "application/json").header("Authorization", "Bearer " + token).GET());
  }

  /** Claims as the hub issues them for an admin, changed by {@code change}. */
  private static JWTClaimsSet claims(UnaryOperator<JWTClaimsSet.Builder> change) {
    Instant now = Instant.now();
    return change.apply(new JWTClaimsSet.Builder()
        .issuer("cortex-hub").audience("cortex-api").subject("it-admin").claim("upn", "it-admin")
        .claim("groups", List.of("admin")).claim("workspaces", List.of("*"))
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600)))
        .jwtID(UUID.randomUUID().toString())).build();
  }

  private static String mint(UnaryOperator<JWTClaimsSet.Builder> change) {
    return UserTokens.sign(claims(change), hubKey());
  }

  /** The hub's user token key from its data dir (created at deployment). */
  private static RSAKey hubKey() {
    Path file = Path.of(System.getProperty("cortex.it.work-dir"), "micro-data", "auth",
        "user-token-key.jwk");
    Await.until("the hub's user token key at " + file, READY_TIMEOUT, () -> file.toFile().isFile());
    try {
      return RSAKey.parse(Files.readString(file));
    } catch (Exception e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
  }

  private static JsonNode assertProblem(HttpResponse<String> response, int status, String type) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
    JsonNode problem = json(response);
    assertThat(problem.path("type").asText()).isEqualTo("urn:cortexhub:problem:" + type);
    assertThat(problem.path("status").asInt()).isEqualTo(status);
    assertThat(problem.path("detail").asText()).isNotBlank();
    assertThat(response.body()).doesNotContain("Exception");
    return problem;
  }
}
