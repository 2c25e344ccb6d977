package io.cortexhub.node.simulate;

import io.cortexhub.node.backoff.FullJitterBackoff;
import io.cortexhub.node.task.EchoRunner;
import io.cortexhub.node.task.TaskRunner;
import io.cortexhub.node.tunnel.AgentMetrics;
import io.cortexhub.node.tunnel.AgentRuntime;
import io.cortexhub.node.tunnel.AgentSettings;
import io.cortexhub.node.tunnel.NodeAgent;
import io.cortexhub.node.tunnel.NodeSecurity;
import io.cortexhub.proto.node.v1.Manifest;
import io.grpc.Channel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * N simulated nodes: real {@link NodeAgent}s offering only {@code echo}, sharing one manifest and one
 * runtime. Each node brings its own channel and security (with mutual TLS, its own connection
 * presenting its own certificate: the hub takes a node's identity from the connection).
 *
 * <p>Starts are spread at {@code connectRate} nodes per second so the fleet does not open all its
 * streams in one burst. Thread-safe: {@link #start()} and {@link #stop(Duration)} once each.
 */
public final class Simulation {
  /** One simulated node's name (sent in Hello), channel and task security. */
  public record Node(String name, Channel channel, NodeSecurity security) {
    public Node {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(channel, "channel");
      Objects.requireNonNull(security, "security");
    }
  }

  private final List<NodeAgent> agents = new ArrayList<>();
  private final AgentRuntime rt;
  private final AgentMetrics metrics;
  private final int connectRate;

  /**
   * @param settingsTemplate settings of every node; they differ only by name
   */
  public Simulation(
      List<Node> nodes,
      AgentSettings settingsTemplate,
      Manifest manifestTemplate,
      AgentRuntime runtime,
      AgentMetrics metrics,
      int connectRate) {
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("need at least one node");
    }
    if (connectRate < 1) {
      throw new IllegalArgumentException("connectRate must be at least 1");
    }
    this.rt = Objects.requireNonNull(runtime, "runtime");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.connectRate = connectRate;
    List<TaskRunner> runners = List.of(new EchoRunner(runtime.clock()));
    for (Node n : nodes) {
      agents.add(
          new NodeAgent(
              settingsTemplate.withNodeName(n.name()),
              manifestTemplate,
              runners,
              n.channel(),
              new FullJitterBackoff(FullJitterBackoff.DEFAULT_BASE, FullJitterBackoff.DEFAULT_CAP, runtime.random()),
              runtime,
              metrics,
              n.security()));
    }
  }

  /** Name of simulated node {@code index}: the prefix and five digits, stable across fleet sizes. */
  public static String nodeName(String prefix, int index) {
    return prefix + String.format("%05d", index);
  }

  /** Settings for simulated nodes: echo only, staggered heartbeats, few remembered ids. */
  public static AgentSettings nodeSettings(Path workDir, int maxTasks, Map<String, String> labels) {
    AgentSettings base = AgentSettings.defaults("sim", workDir).withMaxTasks(maxTasks).withLabels(labels).withOutputMemoryPerTask(64 * 1024);
    return base.forSimulation();
  }

  public int size() {
    return agents.size();
  }

  public List<NodeAgent> agents() {
    return List.copyOf(agents);
  }

  public void start() {
    long perNodeMicros = 1_000_000L / connectRate;
    for (int i = 0; i < agents.size(); i++) {
      NodeAgent a = agents.get(i);
      long delay = i * perNodeMicros;
      if (delay == 0) {
        a.start();
      } else {
        rt.scheduler().schedule(a::start, delay, TimeUnit.MICROSECONDS);
      }
    }
  }

  /** Shuts every node down; completes when all have stopped or {@code timeout} passed. */
  public void stop(Duration timeout) {
    CompletableFuture<?>[] all = agents.stream().map(NodeAgent::shutdown).toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(all).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // best effort on the way out
    }
  }

  /** One status line: nodes, connected, task counters and heap. */
  public String statusLine() {
    Runtime r = Runtime.getRuntime();
    long heapMb = (r.totalMemory() - r.freeMemory()) / (1024 * 1024);
    return String.format(
        "sim: nodes=%d connected=%d sessions=%d disconnects=%d tasks accepted=%d done=%d rejected=%d heartbeats=%d heap=%dMB",
        agents.size(),
        metrics.connected(),
        metrics.sessions(),
        metrics.disconnects(),
        metrics.accepted(),
        metrics.finished(),
        metrics.rejected(),
        metrics.heartbeats(),
        heapMb);
  }
}
