package io.cortexhub.node.simulate;

import io.cortexhub.node.backoff.FullJitterBackoff;
import io.cortexhub.node.task.EchoRunner;
import io.cortexhub.node.task.TaskRunner;
import io.cortexhub.node.tunnel.AgentMetrics;
import io.cortexhub.node.tunnel.AgentRuntime;
import io.cortexhub.node.tunnel.AgentSettings;
import io.cortexhub.node.tunnel.NodeAgent;
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
 * N simulated nodes: real {@link NodeAgent}s offering only {@code echo}, sharing one manifest, one
 * runtime and a handful of channels (node {@code i} uses channel {@code i mod K}).
 *
 * <p>Starts are spread at {@code connectRate} nodes per second so the fleet does not open all its
 * streams in one burst. Thread-safe: {@link #start()} and {@link #stop(Duration)} once each.
 */
public final class Simulation {
  private final List<NodeAgent> agents = new ArrayList<>();
  private final AgentRuntime rt;
  private final AgentMetrics metrics;
  private final int connectRate;

  /**
   * @param settingsTemplate settings of node 0; others differ only by name
   */
  public Simulation(
      int count,
      String namePrefix,
      List<? extends Channel> channels,
      AgentSettings settingsTemplate,
      Manifest manifestTemplate,
      AgentRuntime runtime,
      AgentMetrics metrics,
      int connectRate) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1");
    }
    if (channels.isEmpty()) {
      throw new IllegalArgumentException("need at least one channel");
    }
    if (connectRate < 1) {
      throw new IllegalArgumentException("connectRate must be at least 1");
    }
    this.rt = Objects.requireNonNull(runtime, "runtime");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.connectRate = connectRate;
    List<TaskRunner> runners = List.of(new EchoRunner(runtime.clock()));
    int width = Integer.toString(count - 1).length();
    for (int i = 0; i < count; i++) {
      String name = namePrefix + String.format("%0" + width + "d", i);
      AgentSettings s = settingsTemplate.withNodeName(name);
      agents.add(
          new NodeAgent(
              s,
              manifestTemplate,
              runners,
              channels.get(i % channels.size()),
              new FullJitterBackoff(FullJitterBackoff.DEFAULT_BASE, FullJitterBackoff.DEFAULT_CAP, runtime.random()),
              runtime,
              metrics));
    }
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
