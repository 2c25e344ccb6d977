package io.cortexhub.deploy;

import static io.cortexhub.e2e.support.HubClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.cortexhub.e2e.support.Await;
import io.cortexhub.e2e.support.HubClient;
import io.cortexhub.e2e.support.HubProcess;
import io.cortexhub.e2e.support.SseStream;
import io.cortexhub.e2e.support.TestNode;
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
    // The first admin's password is set in arquillian.xml (the same as HubProcess.ADMIN_PASSWORD).
    hub = HubClient.atRoot(URI.create("http://localhost:" + base.getPort() + "/"))
        .withLogin(HubProcess.ADMIN_USER, HubProcess.ADMIN_PASSWORD);
  }

  @Test
  void readiness_isUpOnceTheDatabaseAndTunnelAre() {
    JsonNode ready = Await.value("readiness UP", READY_TIMEOUT, () -> {
      HttpResponse<String> response = hub.get("/health/ready", "application/json");
      return response.statusCode() == 200 ? Optional.of(json(response)) : Optional.empty();
    });

    assertThat(ready.path("status").asText()).isEqualTo("UP");
    assertThat(ready.toString()).contains("cortex-hub");
  }

  @Test
  void liveness_isUp() {
    HttpResponse<String> response = hub.get("/health/live", "application/json");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response).path("status").asText()).isEqualTo("UP");
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
    assertThat(json(response)).isInstanceOf(ArrayNode.class);
  }

  @Test
  void brokenJson_is400MalformedRequest() {
    assertProblem(hub.postJson("/api/v1/tasks", "{\"kind\": "), 400, "malformed-request");
  }

  @Test
  void valueOfTheWrongType_is400NamingTheField() {
    JsonNode problem = assertProblem(
        hub.postJson("/api/v1/tasks", "{\"kind\":\"echo\",\"timeoutSeconds\":\"soon\"}"),
        400, "malformed-request");

    assertThat(problem.path("detail").asText()).contains("timeoutSeconds");
  }

  @Test
  void unknownKind_is400InvalidRequest() {
    JsonNode problem = assertProblem(
        hub.postJson("/api/v1/tasks", "{\"kind\":\"teleport\"}"), 400, "invalid-request");

    assertThat(problem.path("detail").asText()).contains("echo, shell");
  }

  @Test
  void emptyArgv_is400InvalidRequest() {
    JsonNode problem = assertProblem(
        hub.postJson("/api/v1/tasks", "{\"kind\":\"shell\",\"argv\":[]}"), 400, "invalid-request");

    assertThat(problem.path("detail").asText()).contains("argv");
  }

  @Test
  void negativeTimeout_is400FromBeanValidation() {
    JsonNode problem = assertProblem(hub.postJson("/api/v1/tasks",
        "{\"kind\":\"echo\",\"message\":\"x\",\"timeoutSeconds\":-1}"), 400, "invalid-request");

    assertThat(problem.path("detail").asText()).contains("timeoutSeconds");
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
    HttpResponse<String> notAllowed = hub.exchange(HttpRequest.newBuilder(hub.uri("/api/v1/nodes"))
        .DELETE());

    assertThat(json(notFound).path("type").asText()).isEqualTo("about:blank");
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
    String id = json(first).path("id").asText();
    assertThat(first.headers().firstValue("Location")).hasValueSatisfying(
        location -> assertThat(location).endsWith("/api/v1/tasks/" + id).startsWith("http"));
    assertThat(retry.statusCode()).isEqualTo(200);
    assertThat(json(retry).path("id").asText()).isEqualTo(id);
  }

  @Test
  void cancellingAFinishedTask_is409() {
    HttpResponse<String> created = hub.postJson("/api/v1/tasks",
        "{\"kind\":\"echo\",\"message\":\"x\",\"selector\":{\"it-node\":\"nobody\"}}");
    String id = json(created).path("id").asText();

    HttpResponse<String> cancelled = hub.postJson("/api/v1/tasks/" + id + "/cancel", "");
    HttpResponse<String> again = hub.postJson("/api/v1/tasks/" + id + "/cancel", "");

    assertThat(cancelled.statusCode()).isEqualTo(202);
    assertThat(json(hub.get("/api/v1/tasks/" + id, "application/json")).path("state").asText())
        .isEqualTo("CANCELLED");
    assertProblem(again, 409, "task-already-finished");
  }

  @Test
  void consoleHome_rendersNodesAndRecentTasks_afterSignIn() throws Exception {
    hub.postJson("/api/v1/tasks",
        "{\"kind\":\"echo\",\"message\":\"x\",\"selector\":{\"it-node\":\"nobody\"}}");
    Path caPem = Path.of(System.getProperty("cortex.it.work-dir"), "micro-data", "pki", "ca.pem");
    Await.until("the hub's CA at " + caPem, READY_TIMEOUT, () -> caPem.toFile().isFile());
    String name = "it-console-" + UUID.randomUUID().toString().substring(0, 8);

    try (TestNode node = TestNode.enroll(hub, "localhost", Integer.getInteger("cortex.it.micro.tunnel-port"), caPem,
            name);
        WebClient browser = new WebClient()) {
      node.welcome().get(30, TimeUnit.SECONDS);
      browser.getOptions().setJavaScriptEnabled(false);
      HtmlPage home = ConsoleBrowser.signIn(browser, hub.uri("/"), HubProcess.ADMIN_USER,
          HubProcess.ADMIN_PASSWORD);
      HtmlPage console = browser.getPage(hub.uri("/console/").toURL());

      assertThat(home.getTitleText()).isEqualTo("Cortex Hub");
      assertThat(home.getElementById("signed-in-as").asNormalizedText()).isEqualTo("admin");
      assertThat(home.getElementById("nodes").asNormalizedText()).contains(name);
      assertThat(home.getElementById("tasks").asNormalizedText()).contains("echo", "QUEUED");
      assertThat(console.getTitleText()).isEqualTo("Cortex Hub");
    }
  }

  @Test
  void console_withoutSignIn_showsTheSignInPageOnly_andAWrongPasswordStaysThere()
      throws Exception {
    try (WebClient browser = new WebClient()) {
      browser.getOptions().setJavaScriptEnabled(false);
      HtmlPage login = browser.getPage(hub.uri("/console/").toURL());

      assertThat(login.getUrl().getPath()).isEqualTo("/login.xhtml");
      assertThat(login.getElementById("nodes")).isNull();
      assertThat(login.getElementById("tasks")).isNull();
      HtmlPage again = ConsoleBrowser.submit(login, "admin", "not-the-password");
      assertThat(again.getElementById("messages").asNormalizedText())
          .contains("Wrong user name or password");
      assertThat(again.getElementById("nodes")).isNull();
    }
  }

  @Test
  void console_signOut_endsTheSession() throws Exception {
    try (WebClient browser = new WebClient()) {
      browser.getOptions().setJavaScriptEnabled(false);
      HtmlPage home = ConsoleBrowser.signIn(browser, hub.uri("/"), HubProcess.ADMIN_USER,
          HubProcess.ADMIN_PASSWORD);
      assertThat(home.getElementById("nodes")).isNotNull();

      HtmlPage out = home.getHtmlElementById("session:sign-out").click();
      HtmlPage back = browser.getPage(hub.uri("/").toURL());

      assertThat(out.getElementById("login")).isNotNull();
      assertThat(back.getElementById("login")).isNotNull();
      assertThat(back.getElementById("nodes")).isNull();
    }
  }

  @Test
  void echoTask_runsOnANodeConnectedOverTheTunnel_andItsOutputStreamsOverSse()
      throws Exception {
    Path caPem = Path.of(System.getProperty("cortex.it.work-dir"), "micro-data", "pki", "ca.pem");
    int port = Integer.getInteger("cortex.it.micro.tunnel-port");
    Await.until("the hub's CA at " + caPem, READY_TIMEOUT, () -> caPem.toFile().isFile());
    String name = "it-" + UUID.randomUUID().toString().substring(0, 8);

    try (TestNode node = TestNode.enroll(hub, "localhost", port, caPem, name)) {
      String nodeId = node.welcome().get(30, TimeUnit.SECONDS).getNodeId();
      node.heartbeat();
      Await.until("node " + name + " ONLINE", READY_TIMEOUT, () -> {
        HttpResponse<String> got = hub.get("/api/v1/nodes/" + nodeId, "application/json");
        return got.statusCode() == 200 && json(got).path("state").asText().equals("ONLINE");
      });

      HttpResponse<String> created = hub.postJson("/api/v1/tasks",
          "{\"kind\":\"echo\",\"message\":\"hello over the tunnel\",\"node\":\"" + nodeId + "\"}");
      assertThat(created.statusCode()).isEqualTo(201);
      String taskId = json(created).path("id").asText();
      List<SseStream.Event> events;
      try (SseStream stream = hub.events("/api/v1/tasks/" + taskId + "/output")) {
        events = stream.awaitEnd(Duration.ofSeconds(60));
      }

      assertThat(events).first()
          .extracting(SseStream.Event::id, SseStream.Event::name, SseStream.Event::data)
          .containsExactly("1", "stdout", "hello over the tunnel");
      assertThat(events).last().extracting(SseStream.Event::name).isEqualTo("finished");
      JsonNode finished = HubClient.parse(events.get(events.size() - 1).data());
      assertThat(finished.path("state").asText()).isEqualTo("SUCCEEDED");
      assertThat(finished.path("node").asText()).isEqualTo(nodeId);

      List<SseStream.Event> replay;
      try (SseStream stream = hub.events("/api/v1/tasks/" + taskId + "/output",
          "Last-Event-ID", "1")) {
        replay = stream.awaitEnd(Duration.ofSeconds(30));
      }
      assertThat(replay).extracting(SseStream.Event::name).containsExactly("finished");
    }
  }

  @Test
  void outputStreamOfASilentTask_carriesKeepAliveComments() {
    // No node has this label: the task stays QUEUED and prints nothing.
    HttpResponse<String> created = hub.postJson("/api/v1/tasks",
        "{\"kind\":\"echo\",\"message\":\"x\",\"selector\":{\"it-node\":\"nobody\"}}");
    String id = json(created).path("id").asText();

    try (SseStream stream = hub.events("/api/v1/tasks/" + id + "/output")) {
      // cortex.sse.keepalive is PT1S here (arquillian.xml).
      Await.until("two keep-alive comments", Duration.ofSeconds(20), () -> stream.comments() >= 2);

      assertThat(stream.events()).isEmpty();
      assertThat(stream.failure()).isEmpty();
    }
  }

  private static JsonNode assertProblem(HttpResponse<String> response, int status, String type) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
    JsonNode problem = json(response);
    assertThat(problem.path("type").asText()).isEqualTo("urn:cortexhub:problem:" + type);
    assertThat(problem.path("status").asInt()).isEqualTo(status);
    assertThat(problem.path("title").asText()).isNotBlank();
    assertThat(problem.path("detail").asText()).isNotBlank();
    assertThat(problem.path("instance").asText()).startsWith("/api/v1/");
    assertThat(response.body()).doesNotContain("Exception");
    return problem;
  }
}
