package io.cortexhub.node.cli;

import io.cortexhub.node.backoff.FullJitterBackoff;
import io.cortexhub.node.logging.AgentLog;
import io.cortexhub.node.logging.LogContext;
import io.cortexhub.node.logging.LogSetup;
import io.cortexhub.node.manifest.HostFacts;
import io.cortexhub.node.manifest.ManifestBuilder;
import io.cortexhub.node.task.EchoRunner;
import io.cortexhub.node.task.ProcessTreeKiller;
import io.cortexhub.node.task.ShellRunner;
import io.cortexhub.node.task.TaskRunner;
import io.cortexhub.node.tls.HubChannels;
import io.cortexhub.node.tls.HubTrust;
import io.cortexhub.node.tunnel.AgentMetrics;
import io.cortexhub.node.tunnel.AgentRuntime;
import io.cortexhub.node.tunnel.AgentSettings;
import io.cortexhub.node.tunnel.HubAddress;
import io.cortexhub.node.tunnel.NodeAgent;
import io.grpc.ManagedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code cortex-node run}: the node daemon. Runs until Ctrl-C / SIGTERM, or a Drain from the hub. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Connect to the hub and run the tasks it assigns, until stopped.")
final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin HubOptions hub;

  @Option(
      names = "--name",
      required = true,
      description = "This node's name: 1..128 characters of [A-Za-z0-9._-].")
  String name;

  @Option(
      names = "--labels",
      paramLabel = "k=v[,k=v...]",
      description = "Labels for the hub's selectors, e.g. zone=eu,gpu=no.")
  String labels;

  @Option(
      names = "--max-tasks",
      paramLabel = "N",
      defaultValue = "4",
      description = "Most tasks run at once (default: ${DEFAULT-VALUE}).")
  int maxTasks;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description = "Per-task directories and output spill files (default: ~/.cortex-node).")
  Path workDir;

  @Option(
      names = "--max-spool-bytes",
      paramLabel = "SIZE",
      defaultValue = "1G",
      converter = ByteSize.class,
      description =
          "Disk budget for unacknowledged output spilled under --work-dir, shared by all tasks,"
              + " e.g. 512M or 2G; when it and a task's 1 MiB of memory are full, the task's output"
              + " pipes are not read until the hub acknowledges (default: ${DEFAULT-VALUE}).")
  long maxSpoolBytes;

  @Override
  public Integer call() throws InterruptedException {
    HubAddress address = hub.address(spec);
    HubTrust trust = hub.hubTrust(spec);
    Level level = hub.level(spec, Level.INFO);
    Path dir = workDir != null ? workDir : Path.of(System.getProperty("user.home"), ".cortex-node");
    AgentSettings settings;
    try {
      settings = AgentSettings.defaults(name, dir.toAbsolutePath()).withLabels(parseLabels(labels)).withMaxTasks(maxTasks).withMaxSpoolBytes(maxSpoolBytes);
      Files.createDirectories(settings.workDir());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    } catch (java.io.IOException e) {
      throw new ParameterException(spec.commandLine(), "--work-dir: cannot create " + dir + ": " + e);
    }
    LogSetup.configure(level, hub.logFile());
    AgentLog log = AgentLog.of(RunCommand.class, LogContext.ofNode(name));

    ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(Threads.daemon("cortex-timer"));
    ExecutorService pool = Executors.newFixedThreadPool(2, Threads.daemon("cortex-node"));
    ExecutorService io = Executors.newCachedThreadPool(Threads.daemon("cortex-io"));
    SecureRandom random = new SecureRandom();
    Clock clock = Clock.systemUTC();
    AgentRuntime rt = new AgentRuntime(clock, timers, pool, io, random, HostFacts::loadAverage);
    List<TaskRunner> runners =
        List.of(new EchoRunner(clock), new ShellRunner(clock, timers, io, random, new ProcessTreeKiller()));
    var manifest =
        ManifestBuilder.build(
            HostFacts.probe(), runners.stream().map(TaskRunner::capability).toList(), settings.labels(), settings.maxTasks());
    ManagedChannel channel =
        HubChannels.open(address.host(), address.port(), trust, HubChannels.DEFAULT_MAX_FRAME_BYTES, pool);
    NodeAgent agent =
        new NodeAgent(
            settings,
            manifest,
            runners,
            channel,
            new FullJitterBackoff(FullJitterBackoff.DEFAULT_BASE, FullJitterBackoff.DEFAULT_CAP, random),
            rt,
            new AgentMetrics());
    log.info(
        "cortex-node "
            + manifest.getAgentVersion()
            + " starting: hub "
            + address
            + " ("
            + trust.describe()
            + "), max tasks "
            + settings.maxTasks()
            + ", work dir "
            + settings.workDir()
            + ", spool budget "
            + settings.maxSpoolBytes()
            + " bytes"
            + ", instance "
            + agent.instanceId());

    Thread hook =
        new Thread(
            () -> {
              log.info("signal received; stopping");
              stop(agent, channel, settings);
            },
            "cortex-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    agent.start();
    try {
      agent.drained().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
    // Drained by the hub: leave normally, without waiting for a signal.
    Runtime.getRuntime().removeShutdownHook(hook);
    stop(agent, channel, settings);
    log.info("drained and disconnected; exiting");
    return ExitCodes.OK;
  }

  private static void stop(NodeAgent agent, ManagedChannel channel, AgentSettings settings) {
    try {
      agent.shutdown().get(settings.shutdownGrace().toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Best effort: the JVM is going away either way.
    }
    channel.shutdown();
    try {
      if (!channel.awaitTermination(2, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** {@code k=v,k=v} into a map; the message says what is wrong. */
  static Map<String, String> parseLabels(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    if (text == null || text.isBlank()) {
      return out;
    }
    for (String pair : text.split(",")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--labels: expected k=v, got '" + pair + "'");
      }
      String k = pair.substring(0, eq).trim();
      String v = pair.substring(eq + 1).trim();
      if (!k.matches("[A-Za-z0-9._/-]{1,63}")) {
        throw new IllegalArgumentException("--labels: bad label key '" + k + "'");
      }
      if (out.put(k, v) != null) {
        throw new IllegalArgumentException("--labels: key '" + k + "' given twice");
      }
    }
    return out;
  }
}
