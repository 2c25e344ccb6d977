package io.cortexhub.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** The hub's public REST API ({@code /api/v1}) as a test or an operator script uses it. */
public final class HubClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI restBase;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();

  public HubClient(URI restBase) {
    this.restBase = restBase;
  }

  /** A response: status and parsed JSON body (a missing node for an empty body). */
  public record Response(int status, JsonNode body) {}

  public static ObjectNode object() {
    return JSON.createObjectNode();
  }

  public List<JsonNode> nodes() {
    JsonNode body = expect(200, send("GET", "nodes", null));
    return StreamSupport.stream(body.spliterator(), false).toList();
  }

  public Optional<JsonNode> nodeNamed(String name) {
    return nodes().stream().filter(n -> name.equals(n.path("name").asText())).findFirst();
  }

  /** The node's state ("ONLINE", "OFFLINE", ...) or empty when the hub does not know the node. */
  public Optional<String> nodeState(String name) {
    return nodeNamed(name).map(n -> n.path("state").asText());
  }

  public JsonNode submit(ObjectNode body) {
    return expect(201, send("POST", "tasks", body));
  }

  /** A shell task for the node with this id. */
  public JsonNode submitShell(String nodeId, Duration timeout, String... argv) {
    ObjectNode body = object().put("kind", "shell").put("node", nodeId);
    body.put("timeoutSeconds", timeout.toSeconds());
    argv(body, argv);
    return submit(body);
  }

  public static ObjectNode argv(ObjectNode body, String... argv) {
    Stream.of(argv).forEach(body.putArray("argv")::add);
    return body;
  }

  public JsonNode task(String id) {
    return expect(200, send("GET", "tasks/" + id, null));
  }

  public String taskState(String id) {
    return task(id).path("state").asText();
  }

  public Response cancel(String id) {
    return send("POST", "tasks/" + id + "/cancel", null);
  }

  /** Stored output chunks from {@code fromSeq} on (inclusive; sequence numbers start at 1), as JSON. */
  public JsonNode output(String id, long fromSeq) {
    return expect(200, send("GET", "tasks/" + id + "/output?from=" + fromSeq + "&limit=10000", null));
  }

  /** Opens the task's Server-Sent Events output stream from {@code fromSeq} on (inclusive). */
  public SseStream outputEvents(String id, long fromSeq) {
    return SseStream.open(http, restBase.resolve("tasks/" + id + "/output?from=" + fromSeq));
  }

  public Response send(String method, String path, JsonNode body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(restBase.resolve(path))
            .timeout(Duration.ofSeconds(30))
            .header("Accept", "application/json");
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json");
      request.method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
    }
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      String text = response.body();
      JsonNode json = text == null || text.isBlank() ? JSON.missingNode() : JSON.readTree(text);
      return new Response(response.statusCode(), json);
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode expect(int status, Response response) {
    if (response.status() != status) {
      throw new AssertionError("expected HTTP " + status + " but got " + response.status() + ": " + response.body());
    }
    return response.body();
  }
}
