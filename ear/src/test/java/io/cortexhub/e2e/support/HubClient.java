package io.cortexhub.e2e.support;

import com.fasterxml.jackson.core.JsonProcessingException;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The hub's public HTTP interface as a test or an operator script uses it: typed calls of the REST API
 * ({@code /api/v1}) answering parsed JSON, and raw calls of any path (health, OpenAPI, console, problem
 * responses) answering the whole {@link HttpResponse} so a test can check status, headers and body.
 *
 * <p>Paths without a leading slash are relative to the REST base ({@code "tasks/42"}); paths with one are
 * relative to the server root ({@code "/health/ready"}), as {@link URI#resolve(String)} has it. JSON is
 * parsed with Jackson. Thread-safe: one {@link HttpClient} serves every call, on HTTP/1.1 so
 * that event streams are plain chunked responses.
 *
 * <p>{@link #withLogin} gives a client that gets a user token from {@code POST auth/token} and sends
 * it as {@code Authorization: Bearer} on every call, fetching a new one shortly before it expires; a
 * client without login sends no token (for tests of refusals, which set their own headers).
 */
public final class HubClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final URI restBase;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
  private final String username;
  private final String password;
  private String token;
  private Instant tokenRefreshAt = Instant.MIN;

  /** @param restBase the REST API's root, e.g. {@code http://localhost:8080/api/v1/} */
  public HubClient(URI restBase) {
    this(restBase, null, null);
  }

  private HubClient(URI restBase, String username, String password) {
    this.restBase = Objects.requireNonNull(restBase, "restBase");
    this.username = username;
    this.password = password;
  }

  /** The same hub, calling as this local user (a token is fetched on first use). */
  public HubClient withLogin(String username, String password) {
    return new HubClient(restBase, Objects.requireNonNull(username), Objects.requireNonNull(password));
  }

  /** {@code Bearer <token>} of the logged-in user, fetching a fresh token when needed; empty without login. */
  public synchronized Optional<String> authorization() {
    if (username == null) {
      return Optional.empty();
    }
    if (token == null || !Instant.now().isBefore(tokenRefreshAt)) {
      ObjectNode body = object().put("username", username).put("password", password);
      HttpRequest request = HttpRequest.newBuilder(uri("auth/token"))
          .header("Content-Type", "application/json").header("Accept", "application/json")
          .timeout(REQUEST_TIMEOUT).POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
      HttpResponse<String> response;
      try {
        response = http.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        throw new UncheckedIOException("POST " + request.uri(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      if (response.statusCode() != 200) {
        throw new AssertionError("login as " + username + " failed: HTTP " + response.statusCode() + " " + response.body());
      }
      JsonNode answer = parse(response.body());
      token = answer.path("access_token").asText();
      // Renew a minute early, so a token never expires on its way to the hub.
      tokenRefreshAt = Instant.now().plusSeconds(Math.max(1, answer.path("expires_in").asLong() - 60));
    }
    return Optional.of("Bearer " + token);
  }

  /** A client of the hub deployed at {@code appRoot} (e.g. {@code http://localhost:8080/}). */
  public static HubClient atRoot(URI appRoot) {
    return new HubClient(appRoot.resolve("api/v1/"));
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

  /** A join token as {@code POST join-tokens} answers it; {@code token} is the secret, shown once. */
  public record JoinToken(String tokenId, String token, Instant expiresAt, String workspace) {}

  /** Creates a join token (as an admin) for {@code uses} nodes of {@code workspace}, valid 15 minutes. */
  public JoinToken createJoinToken(String workspace, Map<String, String> labels, int uses) {
    return createJoinToken(workspace, labels, uses, Duration.ofMinutes(15));
  }

  /** Creates a join token (as an admin) for {@code uses} nodes of {@code workspace}, valid for {@code ttl}. */
  public JoinToken createJoinToken(String workspace, Map<String, String> labels, int uses, Duration ttl) {
    ObjectNode body = object().put("workspace", workspace).put("uses", uses).put("ttlSeconds", ttl.toSeconds());
    ObjectNode labelsJson = body.putObject("labels");
    labels.forEach(labelsJson::put);
    JsonNode made = expect(201, send("POST", "join-tokens", body));
    return new JoinToken(
        made.path("tokenId").asText(),
        made.path("token").asText(),
        Instant.parse(made.path("expiresAt").asText()),
        made.path("workspace").asText());
  }

  /** Revokes a node (as an admin): its live stream is closed and its certificate refused from now on. */
  public Response revokeNode(String nodeId, String reason) {
    return send("POST", "nodes/" + nodeId + "/revoke", object().put("reason", reason));
  }

  /** Creates (or changes) a workspace granting {@code capabilities} (as an admin of every workspace). */
  public void putWorkspace(String name, String... capabilities) {
    ObjectNode body = object();
    Stream.of(capabilities).forEach(body.putArray("grantedCapabilities")::add);
    expect(200, send("PUT", "workspaces/" + name, body));
  }

  /** Creates a local user (as an admin); answers a client logged in as that user. */
  public HubClient createUser(String username, String password, List<String> roles, List<String> workspaces) {
    ObjectNode body = object().put("username", username).put("password", password);
    roles.forEach(body.putArray("roles")::add);
    workspaces.forEach(body.putArray("workspaces")::add);
    expect(201, send("POST", "users", body));
    return new HubClient(restBase, username, password);
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
    return events("tasks/" + id + "/output?from=" + fromSeq);
  }

  public Response send(String method, String path, JsonNode body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Accept", "application/json");
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json");
      request.method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
    }
    HttpResponse<String> response = exchange(request);
    String text = response.body();
    return new Response(
        response.statusCode(), text == null || text.isBlank() ? JSON.missingNode() : parse(text));
  }

  /** {@code path} as an absolute URI (see the class comment for relative and rooted paths). */
  public URI uri(String path) {
    return restBase.resolve(path);
  }

  /** GET {@code path} with this {@code Accept} header. */
  public HttpResponse<String> get(String path, String accept) {
    return exchange(HttpRequest.newBuilder(uri(path)).header("Accept", accept).GET());
  }

  /** POST a JSON body (given as text, so tests can send broken JSON) with extra header name/value pairs. */
  public HttpResponse<String> postJson(String path, String json, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    return exchange(withHeaders(request, headers));
  }

  /** Sends any request (a 30 s timeout is added) and returns the response with its body as text. */
  public HttpResponse<String> exchange(HttpRequest.Builder request) {
    authorization().ifPresent(value -> request.setHeader("Authorization", value));
    HttpRequest built = request.timeout(REQUEST_TIMEOUT).build();
    try {
      return http.send(built, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(built.method() + " " + built.uri(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Opens any Server-Sent Events resource, with extra header name/value pairs (e.g. Last-Event-ID). */
  public SseStream events(String path, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .header("Accept", "text/event-stream")
            // Bounds the wait for the response headers only; the events may flow for longer.
            .timeout(Duration.ofMinutes(5));
    authorization().ifPresent(value -> request.setHeader("Authorization", value));
    return SseStream.open(http, withHeaders(request, headers).build());
  }

  /** The response's body parsed as JSON. */
  public static JsonNode json(HttpResponse<String> response) {
    return parse(response.body());
  }

  /** Parses JSON text, e.g. the data of an SSE event. */
  public static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }

  private static HttpRequest.Builder withHeaders(HttpRequest.Builder request, String... headers) {
    if (headers.length % 2 != 0) {
      throw new IllegalArgumentException("headers come in name/value pairs: " + List.of(headers));
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return request;
  }

  /** The body of {@code response}, or an {@link AssertionError} naming the status and body when it is not {@code status}. */
  public static JsonNode expect(int status, Response response) {
    if (response.status() != status) {
      throw new AssertionError("expected HTTP " + status + " but got " + response.status() + ": " + response.body());
    }
    return response.body();
  }
}
