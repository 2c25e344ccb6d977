package io.cortexhub.node.cli;

import io.cortexhub.node.identity.CredentialRenewer;
import io.cortexhub.node.identity.EnrolledNode;
import io.cortexhub.node.identity.EnrollmentClient;
import io.cortexhub.node.identity.SecureFiles;
import io.cortexhub.node.logging.AgentLog;
import io.cortexhub.node.logging.LogContext;
import io.cortexhub.node.logging.LogSetup;
import io.cortexhub.node.manifest.HostFacts;
import io.cortexhub.node.manifest.ManifestBuilder;
import io.cortexhub.node.simulate.FleetIdentities;
import io.cortexhub.node.simulate.Simulation;
import io.cortexhub.node.task.EchoRunner;
import io.cortexhub.node.tls.HubTrust;
import io.cortexhub.node.tunnel.AgentMetrics;
import io.cortexhub.node.tunnel.AgentRuntime;
import io.cortexhub.node.tunnel.AgentSettings;
import io.cortexhub.node.tunnel.HubAddress;
import io.cortexhub.node.verify.InMemoryReplayCache;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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

/**
 * {@code cortex-node simulate}: a fleet of echo-only nodes in this one JVM, for benchmarks. Each
 * simulated node is a real enrolled identity with its own mutual-TLS connection; identities are
 * cached under {@code --state-dir} and enrolled with one multi-use join token when missing.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = "Run N simulated echo-only nodes (enrolled identities, mTLS streams, Hello and heartbeats) in one JVM.")
final class SimulateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin HubOptions hub;

  @Option(names = "--count", required = true, paramLabel = "N", description = "Number of nodes.")
  int count;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description = "Cache of the simulated identities, one sub-directory per node (default: ~/.cortex-node/simulate).")
  Path stateDir;

  @Option(
      names = "--join-token",
      paramLabel = "TOKEN",
      description = "Multi-use join token to enroll the identities not cached yet (needs --ca-fingerprint or --ca-file).")
  String joinToken;

  @Option(
      names = "--enroll-concurrency",
      paramLabel = "K",
      defaultValue = "8",
      description = "Enrollments in flight at once (default: ${DEFAULT-VALUE}).")
  int enrollConcurrency;

  @Option(
      names = "--name-prefix",
      defaultValue = "sim-",
      description = "Node names are PREFIX plus a five-digit number (default: ${DEFAULT-VALUE}).")
  String namePrefix;

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
    HubAddress address = hub.requireAddress(spec);
    Optional<HubTrust> trust = hub.hubTrust(spec);
    if (count < 1) {
      throw new ParameterException(spec.commandLine(), "--count must be at least 1, got " + count);
    }
    if (maxTasks < 1 || connectRate < 1 || statusEvery < 1 || enrollConcurrency < 1 || (duration != null && duration < 1)) {
      throw new ParameterException(
          spec.commandLine(),
          "--max-tasks, --connect-rate, --status-every, --enroll-concurrency and --duration must be positive");
    }
    if (!AgentSettings.NODE_NAME.matcher(Simulation.nodeName(namePrefix, 0)).matches()) {
      throw new ParameterException(spec.commandLine(), "--name-prefix must be characters of [A-Za-z0-9._-]");
    }
    Optional<FleetIdentities.Enroller> enroller = Optional.empty();
    if (joinToken != null) {
      HubTrust t = hub.requireTrust(spec, "--join-token");
      EnrollmentClient client = new EnrollmentClient(new SecureRandom(), EnrollmentClient.DEFAULT_DEADLINE);
      enroller = Optional.of(nodeName -> client.enroll(address, t, joinToken, nodeName));
    } else if (trust.isPresent()) {
      spec.commandLine().getErr().println("cortex-node simulate: note: --ca-* is used only with --join-token");
    }
    LogSetup.configure(hub.level(spec, Level.WARNING), hub.logFile());
    Path states = (stateDir != null ? stateDir : Path.of(System.getProperty("user.home"), ".cortex-node", "simulate"))
        .toAbsolutePath();
    Path workDir;
    try {
      SecureFiles.privateDirectory(states);
      workDir = Files.createTempDirectory("cortex-sim-");
    } catch (IOException e) {
      throw new IllegalStateException("cannot create the simulation's directories: " + e.getMessage(), e);
    }
    PrintWriter out = spec.commandLine().getOut();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      names.add(Simulation.nodeName(namePrefix, i));
    }
    Clock clock = Clock.systemUTC();
    long t0 = System.nanoTime();
    List<FleetIdentities.Identity> ids = FleetIdentities.loadOrEnroll(states, names, enroller, clock, enrollConcurrency);
    long fresh = ids.stream().filter(FleetIdentities.Identity::enrolledNow).count();
    out.printf(
        "identities: %d cached, %d enrolled in %d ms (%s)%n",
        count - fresh, fresh, (System.nanoTime() - t0) / 1_000_000, states);
    out.flush();

    int cpus = Runtime.getRuntime().availableProcessors();
    ScheduledExecutorService timers = Executors.newScheduledThreadPool(1, Threads.daemon("sim-timer"));
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(2, cpus), Threads.daemon("sim-node"));
    SecureRandom random = new SecureRandom();
    AgentRuntime rt = new AgentRuntime(clock, timers, pool, pool, random, HostFacts::loadAverage);
    List<EnrolledNode> links = new ArrayList<>();
    List<Simulation.Node> nodes = new ArrayList<>();
    for (FleetIdentities.Identity id : ids) {
      // Callbacks only enqueue onto each node's serial executor, so Netty's threads can run them.
      EnrolledNode link =
          EnrolledNode.connect(
              id.credentials(), id.store(), address, rt, Runnable::run, random,
              AgentLog.of(CredentialRenewer.class, LogContext.ofNode(id.name())));
      links.add(link);
      nodes.add(new Simulation.Node(id.name(), link.channel(), link.security(new InMemoryReplayCache(clock))));
    }
    AgentSettings template = Simulation.nodeSettings(workDir, maxTasks, java.util.Map.of("simulated", "true"));
    var manifest =
        ManifestBuilder.build(HostFacts.probe(), List.of(EchoRunner.CAPABILITY), template.labels(), maxTasks);
    AgentMetrics metrics = new AgentMetrics();
    Simulation sim = new Simulation(nodes, template, manifest, rt, metrics, connectRate);

    out.printf("simulating %d nodes, one mTLS connection each, to %s%n", count, address);
    out.flush();
    CountDownLatch done = new CountDownLatch(1);
    Thread hook = new Thread(() -> shutdown(sim, links, out), "sim-shutdown");
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
    links.forEach(l -> l.renewer().start());
    if (duration != null) {
      done.await(duration, TimeUnit.SECONDS);
      Runtime.getRuntime().removeShutdownHook(hook);
      shutdown(sim, links, out);
      return ExitCodes.OK;
    }
    done.await(); // until a signal; the hook cleans up and the JVM exits
    return ExitCodes.OK;
  }

  private static void shutdown(Simulation sim, List<EnrolledNode> links, PrintWriter out) {
    sim.stop(Duration.ofSeconds(10));
    out.println(sim.statusLine());
    out.println("simulation stopped");
    out.flush();
    for (EnrolledNode l : links) {
      l.renewer().stop();
      l.channel().shutdownNow();
    }
  }
}
