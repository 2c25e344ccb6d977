package io.cortexhub.node.tunnel;

import io.cortexhub.node.output.SpoolBudget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Configuration of one node agent.
 *
 * @param nodeName the node's name in Hello ({@code [A-Za-z0-9._-]{1,128}})
 * @param labels operator labels reported in the manifest
 * @param maxTasks most tasks running at once ({@code --max-tasks})
 * @param workDir root for per-task directories and output spill files
 * @param outputMemoryPerTask bytes of unacknowledged output a task keeps in memory before spilling
 * @param rememberedTaskIds how many task ids are remembered to refuse a duplicate (nonces live in
 *     the replay cache)
 * @param staggerHeartbeats start the heartbeat timer at a random phase (many nodes in one process)
 * @param healthyAfter a session that stayed open this long resets the reconnect backoff
 * @param welcomeTimeout how long to wait for Welcome after Hello before giving up on a stream
 * @param hubSilenceLimit minimum silence from the hub (no frame at all) that ends a session; the
 *     effective limit is the larger of this and four heartbeat intervals
 * @param shutdownGrace SIGTERM-to-SIGKILL grace for running tasks when the agent stops
 * @param maxSpoolBytes disk budget for spilled output, shared by all of this node's tasks ({@code
 *     --max-spool-bytes}); 0 means never spill (backpressure as soon as a task's memory is full)
 */
public record AgentSettings(
    String nodeName,
    Map<String, String> labels,
    int maxTasks,
    Path workDir,
    long outputMemoryPerTask,
    int rememberedTaskIds,
    boolean staggerHeartbeats,
    Duration healthyAfter,
    Duration welcomeTimeout,
    Duration hubSilenceLimit,
    Duration shutdownGrace,
    long maxSpoolBytes) {
  /** The rule for node names in Hello. */
  public static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  /** Heartbeat interval used if a Welcome carries none. */
  public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(5);

  public AgentSettings {
    Objects.requireNonNull(nodeName, "nodeName");
    if (!NODE_NAME.matcher(nodeName).matches()) {
      throw new IllegalArgumentException(
          "node name must be 1..128 characters of [A-Za-z0-9._-], got '" + nodeName + "'");
    }
    labels = Map.copyOf(labels);
    if (maxTasks < 1) {
      throw new IllegalArgumentException("max tasks must be at least 1, got " + maxTasks);
    }
    Objects.requireNonNull(workDir, "workDir");
    if (outputMemoryPerTask < 64 * 1024) {
      throw new IllegalArgumentException("outputMemoryPerTask must hold at least one 64 KiB chunk");
    }
    if (rememberedTaskIds < 1) {
      throw new IllegalArgumentException("rememberedTaskIds must be positive");
    }
    Objects.requireNonNull(healthyAfter, "healthyAfter");
    Objects.requireNonNull(welcomeTimeout, "welcomeTimeout");
    Objects.requireNonNull(hubSilenceLimit, "hubSilenceLimit");
    Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    if (maxSpoolBytes < 0) {
      throw new IllegalArgumentException("max spool bytes must not be negative, got " + maxSpoolBytes);
    }
  }

  /** The same settings for a node of another name (simulated fleets share one template). */
  public AgentSettings withNodeName(String name) {
    return new AgentSettings(name, labels, maxTasks, workDir, outputMemoryPerTask, rememberedTaskIds,
        staggerHeartbeats, healthyAfter, welcomeTimeout, hubSilenceLimit, shutdownGrace, maxSpoolBytes);
  }

  /** The daemon's defaults: 1 MiB of output per task in memory, 1 GiB spool, 50,000 remembered ids. */
  public static AgentSettings defaults(String nodeName, Path workDir) {
    return new AgentSettings(
        nodeName,
        Map.of(),
        4,
        workDir,
        1024 * 1024,
        50_000,
        false,
        Duration.ofSeconds(10),
        Duration.ofSeconds(15),
        Duration.ofSeconds(30),
        Duration.ofSeconds(5),
        SpoolBudget.DEFAULT_LIMIT_BYTES);
  }

  public AgentSettings withLabels(Map<String, String> newLabels) {
    return new AgentSettings(nodeName, newLabels, maxTasks, workDir, outputMemoryPerTask, rememberedTaskIds, staggerHeartbeats, healthyAfter, welcomeTimeout, hubSilenceLimit, shutdownGrace, maxSpoolBytes);
  }

  public AgentSettings withMaxTasks(int n) {
    return new AgentSettings(nodeName, labels, n, workDir, outputMemoryPerTask, rememberedTaskIds, staggerHeartbeats, healthyAfter, welcomeTimeout, hubSilenceLimit, shutdownGrace, maxSpoolBytes);
  }

  public AgentSettings withOutputMemoryPerTask(long bytes) {
    return new AgentSettings(nodeName, labels, maxTasks, workDir, bytes, rememberedTaskIds, staggerHeartbeats, healthyAfter, welcomeTimeout, hubSilenceLimit, shutdownGrace, maxSpoolBytes);
  }

  /** Lighter settings for a simulated node: few remembered ids, staggered heartbeats. */
  public AgentSettings forSimulation() {
    return new AgentSettings(nodeName, labels, maxTasks, workDir, outputMemoryPerTask, 16, true, healthyAfter, welcomeTimeout, hubSilenceLimit, shutdownGrace, maxSpoolBytes);
  }

  public AgentSettings withShutdownGrace(Duration grace) {
    return new AgentSettings(nodeName, labels, maxTasks, workDir, outputMemoryPerTask, rememberedTaskIds, staggerHeartbeats, healthyAfter, welcomeTimeout, hubSilenceLimit, grace, maxSpoolBytes);
  }

  public AgentSettings withMaxSpoolBytes(long bytes) {
    return new AgentSettings(nodeName, labels, maxTasks, workDir, outputMemoryPerTask, rememberedTaskIds, staggerHeartbeats, healthyAfter, welcomeTimeout, hubSilenceLimit, shutdownGrace, bytes);
  }

  /** Directory of one task (its default working directory). */
  public Path taskDir(String taskId) {
    return workDir.resolve("tasks").resolve(taskId);
  }

  /** This node's spill directory: only this agent process's files belong there. */
  public Path spoolDir() {
    return workDir.resolve("spool").resolve(nodeName);
  }

  /** Base name of one task's spill segments ({@code <task>.out.0}, {@code .1}, …). */
  public Path spillFile(String taskId) {
    return spoolDir().resolve(taskId + ".out");
  }
}
