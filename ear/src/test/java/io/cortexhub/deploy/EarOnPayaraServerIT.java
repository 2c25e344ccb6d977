package io.cortexhub.deploy;

import static io.cortexhub.e2e.support.HubClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.cortexhub.e2e.support.Await;
import io.cortexhub.e2e.support.HubClient;
import io.cortexhub.e2e.support.HubProcess;
import io.cortexhub.e2e.support.PayaraServerDomain;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code target/cortex-hub.ear} on a full Payara Server: a fresh domain on free ports is created,
 * started, given the EAR, probed over HTTP and stopped again whatever happens.
 */
class EarOnPayaraServerIT {

  private static PayaraServerDomain domain;
  private static HubClient hub;

  @BeforeAll
  static void deployEar() throws Exception {
    Path work = Path.of(System.getProperty("cortex.it.work-dir", "target/it"));
    domain = PayaraServerDomain.create(
        Path.of(System.getProperty("cortex.it.payara-server-home", "target/payara-server/payara6")),
        // A new domain per run: a domain left by an earlier run cannot be created again.
        work.resolve("domains"), "cortex-it-" + UUID.randomUUID().toString().substring(0, 8),
        Map.of("CORTEX_DATA_DIR", work.resolve("server-data").toAbsolutePath().toString(),
            "CORTEX_TUNNEL_HOST", "127.0.0.1",
            "CORTEX_TUNNEL_PORT", System.getProperty("cortex.it.server.tunnel-port", "0"),
            "CORTEX_AUTH_ADMIN_PASSWORD", HubProcess.ADMIN_PASSWORD,
            "CORTEX_AUTH_PASSWORD_ITERATIONS", "10000"));
    try {
      domain.start();
      domain.deploy(Path.of(System.getProperty("cortex.it.ear", "target/cortex-hub.ear")));
    } catch (Exception | AssertionError e) {
      domain.close();
      throw e;
    }
    hub = HubClient.atRoot(domain.httpBase()).withLogin(HubProcess.ADMIN_USER, HubProcess.ADMIN_PASSWORD);
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (domain != null) {
      domain.close();
    }
  }

  @Test
  void restApi_answersAtApiV1() {
    HttpResponse<String> nodes = Await.value("GET /api/v1/nodes", Duration.ofSeconds(60), () -> {
      HttpResponse<String> response = hub.get("/api/v1/nodes", "application/json");
      return response.statusCode() == 200 ? Optional.of(response) : Optional.empty();
    });

    assertThat(json(nodes)).isInstanceOf(ArrayNode.class);
  }

  @Test
  void badRequest_isAProblemFromTheEarToo() {
    HttpResponse<String> response = hub.postJson("/api/v1/tasks", "{\"kind\":\"teleport\"}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
    assertThat(json(response).path("type").asText()).isEqualTo("urn:cortexhub:problem:invalid-request");
  }

  @Test
  void taskSubmitted_isStoredAndReadBack() {
    HttpResponse<String> created = hub.postJson("/api/v1/tasks",
        "{\"kind\":\"echo\",\"message\":\"x\",\"selector\":{\"it-node\":\"nobody\"}}");

    assertThat(created.statusCode()).isEqualTo(201);
    String id = json(created).path("id").asText();
    assertThat(json(hub.get("/api/v1/tasks/" + id, "application/json")).path("kind").asText())
        .isEqualTo("echo");
  }

  @Test
  void consoleHome_rendersAfterSigningIn() throws Exception {
    try (WebClient browser = new WebClient()) {
      browser.getOptions().setJavaScriptEnabled(false);
      HtmlPage home = ConsoleBrowser.signIn(browser, hub.uri("/"), HubProcess.ADMIN_USER, HubProcess.ADMIN_PASSWORD);

      assertThat(home.getTitleText()).isEqualTo("Cortex Hub");
      assertThat(home.getElementById("nodes")).isNotNull();
    }
  }
}
