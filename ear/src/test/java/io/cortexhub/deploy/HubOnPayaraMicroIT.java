package io.cortexhub.deploy;

import static io.cortexhub.deploy.HubClient.array;
import static io.cortexhub.deploy.HubClient.object;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlPage;
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
 * The real {@code target/cortex-hub.war} on Payara Micro, started once by Arquillian for every
 * test here: health, OpenAPI, the REST API and its problem details, the console page, and a node
 * connected over the TLS tunnel running an echo task whose output is read back over SSE.
 *
 * <p>Tests are independent of each other and of order: each makes its own tasks with unique keys.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HubOnPayaraMicroIT {

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  @ArquillianResource private URL base;

  private HubClient hub;

  /**
   * The WAR exactly as the build made it, imported under the name {@code ROOT.war} so Payara Micro
   * deploys it at context root "/" (the same as {@code --contextroot /} in the run command).
   */
  @Deployment(testable = false)
  static WebArchive hubWar() {
    File war = new File(System.getProperty("cortex.it.micro-war", "target/cortex-hub.war"));
    return ShrinkWrap.create(ZipImporter.class, "ROOT.war").importFrom(war).as(WebArchive.class);
  }

  @BeforeEach
  void client() {
    // Arquillian reports the host's first interface address; talk to loopback instead.
    hub = new HubClient(URI.create("http://localhost:" + base.getPort() + "/"));
  }

  @Test
  void readiness_isUpOnceTheDatabaseAndTunnelAre() {
    JsonObject ready = Await.until("readiness UP", READY_TIMEOUT, () -> {
      HttpResponse<String> response = hub.get("/health/ready", "application/json");
      return response.statusCode() == 200 ? Optional.of(object(response)) : Optional.empty();
    });

    assertThat(ready.getString("status")).isEqualTo("UP");
    assertThat(ready.toString()).contains("cortex-hub");
  }

  @Test
  void liveness_isUp() {
    HttpResponse<String> response = hub.get("/health/live", "application/json");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(object(response).getString("status")).isEqualTo("UP");
  }

  @Test
  void openApi_describesTheRestApi() {
    HttpResponse<String> response = hub.get("/openapi", "*/*");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("Cortex Hub API", "/api/v1/tasks", "/api/v1/nodes");
  }

  @Test
  void nodes_areListedAsJson() {
    HttpResponse<String> response = hub.get("/api/v1/nodes", "application/json");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/json"));
    assertThat(array(response)).isNotNull();
  }

  @Test
  void brokenJson_is400MalformedRequest() {
    assertProblem(hub.postJson("/api/v1/tasks", "{\"kind\": "), 400, "malformed-request");
  }

  @Test
  void valueOfTheWrongType_is400NamingTheField() {
    JsonObject problem = assertProblem(
        hub.postJson("/api/v1/tasks", "{\"kind\":\"echo\",\"timeoutSeconds\":\"soon\"}"),
        400, "malformed-request");

    assertThat(problem.getString("detail")).contains("timeoutSeconds");
  }

  @Test
  void unknownKind_is400InvalidRequest() {
    JsonObject problem = assertProblem(
        hub.postJson("/api/v1/tasks", "{\"kind\":\"teleport\"}"), 400, "invalid-request");

    assertThat(problem.getString("detail")).contains("echo, shell");
  }

  @Test
  void emptyArgv_is400InvalidRequest() {
    JsonObject problem = assertProblem(
        hub.postJson("/api/v1/tasks", "{\"kind\":\"shell\",\"argv\":[]}"), 400, "invalid-request");

    assertThat(problem.getString("detail")).contains("argv");
  }

  @Test
  void negativeTimeout_is400FromBeanValidation() {
    JsonObject problem = assertProblem(hub.postJson("/api/v1/tasks",
        "{\"kind\":\"echo\",\"message\":\"x\",\"timeoutSeconds\":-1}"), 400, "invalid-request");

    assertThat(problem.getString("detail")).contains("timeoutSeconds");
  }

  @Test
  void missingBody_is400() {
    HttpResponse<String> response = hub.postJson("/api/v1/tasks", "");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
  }

  @Test
  void taskForAnUnknownNode_is404UnknownNode() {
    assertProblem(hub.postJson("/api/v1/tasks",
        "{\"kind\":\"echo\",\"message\":\"x\",\"node\":\"no-such-node\"}"), 404, "unknown-node");
  }

  @Test
  void unknownNodeAndTask_are404() {
    assertProblem(hub.get("/api/v1/nodes/no-such-node", "application/json"), 404, "unknown-node");
    assertProblem(hub.get("/api/v1/tasks/no-such-task", "application/json"), 404, "unknown-task");
    assertProblem(hub.get("/api/v1/tasks/no-such-task/output", "text/event-stream"), 404,
        "unknown-task");
  }

  @Test
  void unknownRouteAndWrongMethod_areProblemsToo() {
    HttpResponse<String> notFound = hub.get("/api/v1/no-such-thing", "application/json");
    HttpResponse<String> notAllowed = hub.send(HttpRequest.newBuilder(hub.uri("/api/v1/nodes"))
        .DELETE());

    assertThat(object(notFound).getString("type")).isEqualTo("about:blank");
    assertThat(notFound.statusCode()).isEqualTo(404);
    assertThat(notAllowed.statusCode()).isEqualTo(405);
    assertThat(notAllowed.headers().firstValue("Content-Type"))
        .contains("application/problem+json");
  }

  @Test
  void submitWithAnIdempotencyKey_twice_createsOneTask() {
    String key = UUID.randomUUID().toString();
    String body = "{\"kind\":\"echo\",\"message\":\"once\",\"selector\":{\"it-node\":\"nobody\"}}";

    HttpResponse<String> first = hub.postJson("/api/v1/tasks", body, "Idempotency-Key", key);
    HttpResponse<String> retry = hub.postJson("/api/v1/tasks", body, "Idempotency-Key", key);

    assertThat(first.statusCode()).isEqualTo(201);
    String id = object(first).getString("id");
    assertThat(first.headers().firstValue("Location")).hasValueSatisfying(
        location -> assertThat(location).endsWith("/api/v1/tasks/" + id).startsWith("http"));
    assertThat(retry.statusCode()).isEqualTo(200);
    assertThat(object(retry).getString("id")).isEqualTo(id);
  }

  @Test
  void cancellingAFinishedTask_is409() {
    HttpResponse<String> created = hub.postJson("/api/v1/tasks",
        "{\"kind\":\"echo\",\"message\":\"x\",\"selector\":{\"it-node\":\"nobody\"}}");
    String id = object(created).getString("id");

    HttpResponse<String> cancelled = hub.postJson("/api/v1/tasks/" + id + "/cancel", "");
    HttpResponse<String> again = hub.postJson("/api/v1/tasks/" + id + "/cancel", "");

    assertThat(cancelled.statusCode()).isEqualTo(202);
    assertThat(object(hub.get("/api/v1/tasks/" + id, "application/json")).getString("state"))
        .isEqualTo("CANCELLED");
    assertProblem(again, 409, "task-already-finished");
  }

  @Test
  void consoleHome_rendersNodesAndRecentTasks() throws Exception {
    hub.postJson("/api/v1/tasks",
        "{\"kind\":\"echo\",\"message\":\"x\",\"selector\":{\"it-node\":\"nobody\"}}");

    try (WebClient browser = new WebClient()) {
      browser.getOptions().setJavaScriptEnabled(false);
      HtmlPage home = browser.getPage(hub.uri("/").toURL());
      HtmlPage console = browser.getPage(hub.uri("/console/").toURL());

      assertThat(home.getTitleText()).isEqualTo("Cortex Hub");
      assertThat(home.getElementById("nodes")).isNotNull();
      assertThat(home.getElementById("tasks").asNormalizedText()).contains("echo", "QUEUED");
      assertThat(console.getTitleText()).isEqualTo("Cortex Hub");
    }
  }

  @Test
  void echoTask_runsOnANodeConnectedOverTheTunnel_andItsOutputStreamsOverSse()
      throws Exception {
    Path caPem = Path.of(System.getProperty("cortex.it.work-dir"), "micro-data", "tls", "ca.pem");
    int port = Integer.getInteger("cortex.it.micro.tunnel-port");
    Await.until("the hub's CA at " + caPem, READY_TIMEOUT,
        () -> caPem.toFile().isFile() ? Optional.of(caPem) : Optional.empty());
    String name = "it-" + UUID.randomUUID().toString().substring(0, 8);

    try (TestNode node = TestNode.connect(port, caPem.toFile(), name)) {
      String nodeId = node.welcome().get(30, TimeUnit.SECONDS).getNodeId();
      node.heartbeat();
      Await.until("node " + name + " ONLINE", READY_TIMEOUT, () -> {
        HttpResponse<String> got = hub.get("/api/v1/nodes/" + nodeId, "application/json");
        return got.statusCode() == 200 && object(got).getString("state").equals("ONLINE")
            ? Optional.of(true) : Optional.empty();
      });

      HttpResponse<String> created = hub.postJson("/api/v1/tasks",
          "{\"kind\":\"echo\",\"message\":\"hello over the tunnel\",\"node\":\"" + nodeId + "\"}");
      assertThat(created.statusCode()).isEqualTo(201);
      String taskId = object(created).getString("id");
      List<SseEvents.Event> events = SseEvents.read(hub, "/api/v1/tasks/" + taskId + "/output",
          Duration.ofSeconds(60));

      assertThat(events).first().isEqualTo(
          new SseEvents.Event("1", "stdout", "hello over the tunnel"));
      assertThat(events).last().extracting(SseEvents.Event::name).isEqualTo("finished");
      JsonObject finished = (JsonObject) HubClient.parse(events.get(events.size() - 1).data());
      assertThat(finished.getString("state")).isEqualTo("SUCCEEDED");
      assertThat(finished.getString("node")).isEqualTo(nodeId);

      List<SseEvents.Event> replay = SseEvents.read(hub, "/api/v1/tasks/" + taskId + "/output",
          Duration.ofSeconds(30), "Last-Event-ID", "1");
      assertThat(replay).extracting(SseEvents.Event::name).containsExactly("finished");
    }
  }

  private static JsonObject assertProblem(HttpResponse<String> response, int status, String type) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
    JsonObject problem = object(response);
    assertThat(problem.getString("type")).isEqualTo("urn:cortexhub:problem:" + type);
    assertThat(problem.getInt("status")).isEqualTo(status);
    assertThat(problem.getString("title")).isNotBlank();
    assertThat(problem.getString("detail")).isNotBlank();
    assertThat(problem.getString("instance")).startsWith("/api/v1/");
    assertThat(response.body()).doesNotContain("Exception");
    return problem;
  }
}
