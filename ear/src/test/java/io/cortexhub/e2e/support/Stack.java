package io.cortexhub.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A hub with nodes attached, started together and stopped in reverse order: what the dev launcher runs
 * and what end-to-end tests stand on.
 */
public final class Stack implements AutoCloseable {
  public static final Duration NODE_ONLINE_TIMEOUT = Duration.ofSeconds(60);

  private final Path dir;
  private final HubProcess hub;
  private final HubClient client;
  private final List<NodeProcess> nodes = new ArrayList<>();

  private Stack(Path dir, HubProcess hub) {
    this.dir = dir;
    this.hub = hub;
    this.client = new HubClient(hub.restBase()).withLogin(HubProcess.ADMIN_USER, hub.settings().adminPassword());
  }

  /** Boots a hub with {@code settings} (its data dir under {@code dir}). */
  public static Stack start(Path dir, HubProcess.Settings settings) {
    return new Stack(dir, HubProcess.start(settings));
  }

  /** Boots a hub on free ports with test timings under a fresh scratch directory. */
  public static Stack startForTest(String name) {
    Path dir = Scratch.newDir(name);
    return start(dir, HubProcess.Settings.defaults(dir.resolve("hub")));
  }

  /** Starts a node in the default workspace and returns its hub id once the hub lists it ONLINE. */
  public String attachNode(String name, Map<String, String> labels, int maxTasks) {
    return attachNode(name, NodeProcess.Options.defaults().withLabels(labels).withMaxTasks(maxTasks), "default");
  }

  /**
   * Makes a one-time join token for {@code workspace} (as the admin), starts a node that enrolls with it
   * (unless its directory holds an identity from an earlier run), and returns the node's hub id once the hub
   * lists it ONLINE.
   */
  public String attachNode(String name, NodeProcess.Options options, String workspace) {
    NodeProcess node = startNode(name, options, workspace);
    return awaitOnline(name, node);
  }

  /** Like {@link #attachNode(String, NodeProcess.Options, String)} without waiting for the node. */
  public NodeProcess startNode(String name, NodeProcess.Options options, String workspace) {
    Path nodeDir = dir.resolve("node-" + name);
    // A node enrolled by an earlier run (the dev stack's .cortex-dev/) comes back as itself, without a token.
    Optional<String> token = NodeProcess.enrolledIn(nodeDir)
        ? Optional.empty()
        : Optional.of(client.createJoinToken(workspace, Map.of(), 1).token());
    NodeProcess node = NodeProcess.start(hub, token, name, options, nodeDir);
    nodes.add(node);
    return node;
  }

  /** Waits until the hub lists the node named {@code name} ONLINE; returns its id. */
  public String awaitOnline(String name) {
    return Await.value(
        "node " + name + " ONLINE",
        NODE_ONLINE_TIMEOUT,
        () -> client.nodeNamed(name).filter(n -> "ONLINE".equals(n.path("state").asText())).map(n -> n.path("id").asText()));
  }

  /** Waits until the hub lists the node ONLINE; returns its id (a failure shows the node's log). */
  public String awaitOnline(String name, NodeProcess node) {
    try {
      return awaitOnline(name);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n--- node log ---\n" + node.process().logTail(40), e);
    }
  }

  public NodeProcess node(String name) {
    return nodes.stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
  }

  public HubProcess hub() {
    return hub;
  }

  public HubClient client() {
    return client;
  }

  public Path dir() {
    return dir;
  }

  /** Waits for the task to reach a final state and returns its JSON. */
  public JsonNode awaitFinal(String taskId, Duration timeout) {
    return Await.value(
        "task " + taskId + " in a final state",
        timeout,
        () -> {
          JsonNode task = client.task(taskId);
          return task.path("finished").asBoolean() ? Optional.of(task) : Optional.empty();
        });
  }

  /** Waits for the task to reach {@code state}. */
  public void awaitState(String taskId, String state, Duration timeout) {
    Await.until("task " + taskId + " " + state, timeout, () -> state.equals(client.taskState(taskId)));
  }

  @Override
  public void close() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).close();
    }
    hub.close();
  }
}
