package io.cortexhub.node.cli;

import io.cortexhub.node.logging.LogSetup;
import io.cortexhub.node.manifest.HostFacts;
import io.cortexhub.node.manifest.ManifestBuilder;
import io.cortexhub.node.simulate.Simulation;
import io.cortexhub.node.task.EchoRunner;
import io.cortexhub.node.tls.HubChannels;
import io.cortexhub.node.tls.HubTrust;
import io.cortexhub.node.tunnel.AgentMetrics;
import io.cortexhub.node.tunnel.AgentRuntime;
import io.cortexhub.node.tunnel.AgentSettings;
import io.cortexhub.node.tunnel.HubAddress;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code cortex-node simulate}: a fleet of echo-only nodes in this one JVM, for benchmarks. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = "Run N simulated echo-only nodes (real streams, Hello and heartbeats) in one JVM.")
final class SimulateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin HubOptions hub;

  @Option(names = "--count", required = true, paramLabel = "N", description = "Number of nodes.")
  int count;

  @Option(
      names = "--name-prefix",
      defaultValue = "sim-",
      description = "Node names are PREFIX plus a number (default: ${DEFAULT-VALUE}).")
  String namePrefix;

  @Option(
      names = "--channels",
      paramLabel = "K",
      description = "TCP connections to spread the streams over (default: max(1, N/500)).")
  Integer channels;

  @Option(
      names = "--max-tasks",
      paramLabel = "N",
      defaultValue = "16",
      description = "Task slots per node (default: ${DEFAULT-VALUE}).")
  int maxTasks;

  @Option(
      names = "--connect-rate",
      paramLabel = "PER_SECOND",
      defaultValue = "1000",
      description = "Nodes started per second (default: ${DEFAULT-VALUE}).")
  int connectRate;

  @Option(
      names = "--status-every",
      paramLabel = "SECONDS",
      defaultValue = "5",
      description = "Seconds between status lines on stdout (default: ${DEFAULT-VALUE}).")
  int statusEvery;

  @Option(
      names = "--duration",
      paramLabel = "SECONDS",
      description = "Stop after this many seconds (default: run until Ctrl-C).")
  Integer duration;

  @Override
  public Integer call() throws InterruptedException {
    HubAddress address = hub.address(spec);
    HubTrust trust = hub.hubTrust(spec);
    if (count < 1) {
      throw new ParameterException(spec.commandLine(), "--count must be at least 1, got " + count);
    }
    int k = channels != null ? channels : Math.max(1, count / 500);
    if (k < 1 || k > count) {
      throw new ParameterException(spec.commandLine(), "--channels must be 1.." + count + ", got " + k);
    }
    if (maxTasks < 1 || connectRate < 1 || statusEvery < 1 || (duration != null && duration < 1)) {
      throw new ParameterException(
          spec.commandLine(), "--max-tasks, --connect-rate, --status-every and --duration must be positive");
    }
    if (!AgentSettings.NODE_NAME.matcher(namePrefix + "0").matches()) {
      throw new ParameterException(spec.commandLine(), "--name-prefix must be characters of [A-Za-z0-9._-]");
    }
    LogSetup.configure(hub.level(spec, Level.WARNING), hub.logFile());
    Path workDir;
    try {
      workDir = Files.createTempDirectory("cortex-sim-");
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a temporary work directory", e);
    }

    int cpus = Runtime.getRuntime().availableProcessors();
    ScheduledExecutorService timers = Executors.newScheduledThreadPool(1, Threads.daemon("sim-timer"));
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(2, cpus), Threads.daemon("sim-node"));
    Clock clock = Clock.systemUTC();
    AgentRuntime rt = new AgentRuntime(clock, timers, pool, pool, new Random(), HostFacts::loadAverage);
    List<ManagedChannel> chans = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      // Callbacks only enqueue onto each node's serial executor, so Netty's threads can run them.
      chans.add(
          HubChannels.open(
              address.host(), address.port(), trust, HubChannels.DEFAULT_MAX_FRAME_BYTES, Runnable::run));
    }
    AgentSettings template = Simulation.nodeSettings(workDir, maxTasks, java.util.Map.of("simulated", "true"));
    var manifest =
        ManifestBuilder.build(HostFacts.probe(), List.of(EchoRunner.CAPABILITY), template.labels(), maxTasks);
    AgentMetrics metrics = new AgentMetrics();
    Simulation sim = new Simulation(count, namePrefix, chans, template, manifest, rt, metrics, connectRate);

    PrintWriter out = spec.commandLine().getOut();
    out.printf("simulating %d nodes over %d connection(s) to %s (%s)%n", count, k, address, trust.describe());
    out.flush();
    CountDownLatch done = new CountDownLatch(1);
    Thread hook = new Thread(() -> shutdown(sim, chans, out), "sim-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    timers.scheduleAtFixedRate(
        () -> {
          out.println(sim.statusLine());
          out.flush();
        },
        statusEvery,
        statusEvery,
        TimeUnit.SECONDS);
    sim.start();
    if (duration != null) {
      done.await(duration, TimeUnit.SECONDS);
      Runtime.getRuntime().removeShutdownHook(hook);
      shutdown(sim, chans, out);
      return ExitCodes.OK;
    }
    done.await(); // until a signal; the hook cleans up and the JVM exits
    return ExitCodes.OK;
  }

  private static void shutdown(Simulation sim, List<ManagedChannel> chans, PrintWriter out) {
    sim.stop(Duration.ofSeconds(10));
    out.println(sim.statusLine());
    out.println("simulation stopped");
    out.flush();
    chans.forEach(ManagedChannel::shutdownNow);
  }
}
