package io.cortexhub.node.cli;

import io.cortexhub.node.backoff.FullJitterBackoff;
import io.cortexhub.node.consent.ConsentListener;
import io.cortexhub.node.consent.TerminalPrompt;
import io.cortexhub.node.identity.CredentialRenewer;
import io.cortexhub.node.identity.CredentialStore;
import io.cortexhub.node.identity.Credentials;
import io.cortexhub.node.identity.CredentialsExpiredException;
import io.cortexhub.node.identity.EnrolledNode;
import io.cortexhub.node.identity.InvalidCredentialsException;
import io.cortexhub.node.identity.NodeProfile;
import io.cortexhub.node.logging.AgentLog;
import io.cortexhub.node.logging.LogContext;
import io.cortexhub.node.logging.LogSetup;
import io.cortexhub.node.manifest.HostFacts;
import io.cortexhub.node.manifest.ManifestBuilder;
import io.cortexhub.node.sandbox.IsolationReport;
import io.cortexhub.node.sandbox.SandboxLauncher;
import io.cortexhub.node.task.TaskRunner;
import io.cortexhub.node.tls.HubTrust;
import io.cortexhub.node.tunnel.AgentMetrics;
import io.cortexhub.node.tunnel.AgentRuntime;
import io.cortexhub.node.tunnel.AgentSettings;
import io.cortexhub.node.tunnel.HubAddress;
import io.cortexhub.node.tunnel.NodeAgent;
import io.cortexhub.node.tunnel.ProtectedPaths;
import io.cortexhub.node.verify.FileReplayCache;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
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

/**
 * {@code cortex-node run}: the node daemon. Connects with mutual TLS as the identity stored in
 * {@code --state-dir} (enrolling first with {@code --join-token} if there is none) and runs until
 * Ctrl-C / SIGTERM, a Drain from the hub, or the expiry of a certificate it could not renew.
 *
 * <p>Tasks run under the owner's local policy ({@code --policy}), which nothing from the hub can
 * change: isolation as the machine offers it, consent asked over {@code --consent-socket}, every
 * step written to {@code --audit-log}. The policy file, state directory, audit log and socket are
 * out of every task's reach ({@link ExecutionSetup}).
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Connect to the hub as the enrolled node and run the tasks it assigns, until stopped.")
final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin HubOptions hub;

  @Mixin StateDirOption state;
  @Mixin LocalPolicyOptions localPolicy;

  @Option(
      names = "--join-token",
      paramLabel = "TOKEN",
      description = "Enroll first with this join token if --state-dir holds no credentials (needs --hub and"
          + " --ca-fingerprint or --ca-file); ignored once enrolled.")
  String joinToken;

  @Option(
      names = "--name",
      description = "Display name sent in Hello, 1..128 characters of [A-Za-z0-9._-] (default: the name given"
          + " at enrollment, else the host name). The node's identity is its certificate, not this name.")
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

  @Option(
      names = "--prompt",
      description = "Also ask for consent in this terminal (y/n, oldest request first), beside the approvals"
          + " socket; whichever answers first wins. Needs an interactive terminal.")
  boolean prompt;


  @Option(
      names = "--consent-timeout",
      paramLabel = "DURATION",
      defaultValue = "5m",
      converter = DurationText.class,
      description = "How long a request waits for 'cortex-node approve|deny' before it is denied, e.g. 90s,"
          + " 5m, 1h (default: ${DEFAULT-VALUE}).")
  Duration consentTimeout;

  @Option(
      names = "--audit-log",
      paramLabel = "FILE",
      description = "The tamper-evident audit log (created 0600; default: <state-dir>/audit.log).")
  Path auditLog;

  @Option(
      names = "--consent-socket",
      paramLabel = "PATH",
      description = "The owner-only socket of 'cortex-node approvals|approve|deny' (default:"
          + " $CORTEX_NODE_CONSENT_SOCKET, else <state-dir>/consent.sock).")
  Path consentSocket;

  @Option(
      names = "--audit-checkpoint-every",
      paramLabel = "N",
      defaultValue = "100",
      description = "Records between two signed audit checkpoints sent to the hub (default: ${DEFAULT-VALUE}).")
  int checkpointEvery;

  @Override
  public Integer call() throws Exception {
    Optional<HubAddress> givenHub = hub.address(spec);
    Optional<HubTrust> givenTrust = hub.hubTrust(spec);
    Level level = hub.level(spec, Level.INFO);
    Path dir = workDir != null ? workDir : Path.of(System.getProperty("user.home"), ".cortex-node");
    if (name != null) {
      EnrollCommand.checkedName(spec, name, "--name");
    }
    if (prompt && System.console() == null) {
      throw new ParameterException(spec.commandLine(), "--prompt needs an interactive terminal; answer with"
          + " 'cortex-node approvals' and 'cortex-node approve|deny ID' instead");
    }
    AgentSettings settings;
    try {
      settings =
          AgentSettings.defaults(name != null ? name : "node", dir.toAbsolutePath())
              .withLabels(parseLabels(labels))
              .withMaxTasks(maxTasks)
              .withMaxSpoolBytes(maxSpoolBytes);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (checkpointEvery < 1) {
      throw new ParameterException(spec.commandLine(), "--audit-checkpoint-every must be at least 1, got " + checkpointEvery);
    }
    ExecutionSetup.LoadedPolicy policy = localPolicy.load(spec);
    ExecutionSetup.NodeFiles files = nodeFiles(state.resolve());
    ProtectedPaths protectedPaths;
    try {
      protectedPaths = ExecutionSetup.protect(policy, files, settings.workDir().resolve("tasks"));
    } catch (IllegalStateException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    CredentialStore store = new CredentialStore(state.resolve());
    if (!store.hasCredentials()) {
      if (joinToken == null) {
        throw new ParameterException(
            spec.commandLine(),
            "no credentials in " + store.stateDir() + ": enroll first (cortex-node enroll --hub HOST:PORT --token"
                + " TOKEN --ca-fingerprint sha256:HEX --state-dir " + store.stateDir() + "), or pass --join-token");
      }
      if (givenHub.isEmpty()) {
        hub.requireAddress(spec);
      }
      hub.requireTrust(spec, "--join-token");
    }
    try {
      Files.createDirectories(settings.workDir());
    } catch (java.io.IOException e) {
      throw new ParameterException(spec.commandLine(), "--work-dir: cannot create " + dir + ": " + e);
    }
    LogSetup.configure(level, hub.logFile());
    CredentialStore.StateLock lock = store.lock();
    try {
      Credentials creds;
      if (!store.hasCredentials()) {
        String display = EnrollCommand.checkedName(spec, name, "--name");
        creds = EnrollCommand.enrollInto(store, givenHub.get(), givenTrust.get(), joinToken, display);
        AgentLog.of(RunCommand.class, LogContext.ofNode(display))
            .info("enrolled as node " + creds.nodeId() + " in workspace " + creds.workspace() + "; credentials in " + store.stateDir());
      } else {
        try {
          creds = store.load().orElseThrow();
        } catch (InvalidCredentialsException e) {
          throw new InvalidCredentialsException(
              e.getMessage() + "; enroll again: cortex-node enroll --force --state-dir " + store.stateDir() + " …", e);
        }
        if (joinToken != null) {
          AgentLog.of(RunCommand.class, LogContext.ofNode(creds.nodeId()))
              .info("already enrolled as node " + creds.nodeId() + " in " + store.stateDir() + "; --join-token not used");
        }
      }
      Optional<NodeProfile> profile = store.loadProfile();
      HubAddress address =
          givenHub.or(() -> profile.map(NodeProfile::hub)).orElseGet(() -> hub.requireAddress(spec));
      String display = name != null ? name : profile.map(NodeProfile::nodeName).orElseGet(EnrollCommand::hostName);
      Clock clock = Clock.systemUTC();
      if (creds.expiredAt(clock.instant())) {
        throw new CredentialsExpiredException(creds.nodeId(), creds.notAfter(), store.stateDir());
      }
      return runAs(creds, store, address, settings.withNodeName(display), clock, policy, files, protectedPaths);
    } finally {
      lock.close();
    }
  }

  /** The audit log and consent socket as the options and the environment name them. */
  private ExecutionSetup.NodeFiles nodeFiles(Path stateDir) {
    Path socket = consentSocket;
    if (socket == null) {
      String env = System.getenv("CORTEX_NODE_CONSENT_SOCKET");
      socket = env != null && !env.isBlank() ? Path.of(env) : stateDir.resolve("consent.sock");
    }
    Path audit = auditLog != null ? auditLog : stateDir.resolve("audit.log");
    return new ExecutionSetup.NodeFiles(stateDir, audit.toAbsolutePath().normalize(), socket.toAbsolutePath().normalize());
  }

  private int runAs(
      Credentials creds,
      CredentialStore store,
      HubAddress address,
      AgentSettings settings,
      Clock clock,
      ExecutionSetup.LoadedPolicy policy,
      ExecutionSetup.NodeFiles files,
      ProtectedPaths protectedPaths)
      throws InterruptedException {
    AgentLog log = AgentLog.of(RunCommand.class, LogContext.ofNode(settings.nodeName()));
    ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(Threads.daemon("cortex-timer"));
    ExecutorService pool = Executors.newFixedThreadPool(2, Threads.daemon("cortex-node"));
    ExecutorService io = Executors.newCachedThreadPool(Threads.daemon("cortex-io"));
    SecureRandom random = new SecureRandom();
    AgentRuntime rt = new AgentRuntime(clock, timers, pool, io, random, HostFacts::loadAverage);
    IsolationReport isolation = localPolicy.probe();
    EnrolledNode link =
        EnrolledNode.connect(creds, store, address, rt, pool, random, AgentLog.of(CredentialRenewer.class, log.context()));
    Optional<TerminalPrompt> terminal = prompt
        ? Optional.of(new TerminalPrompt(new PrintWriter(System.out, true, StandardCharsets.UTF_8)))
        : Optional.empty();
    ExecutionSetup engine;
    try {
      engine = new ExecutionSetup(policy, isolation, protectedPaths, files, () -> link.renewer().current().privateKey(),
          checkpointEvery, consentTimeout, terminal.map(t -> (ConsentListener) t).orElse(ConsentListener.NONE), clock,
          timers, io, random);
    } catch (RuntimeException e) {
      link.close();
      throw e;
    }
    terminal.ifPresent(t -> t.start(engine.broker,
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), io));
    List<TaskRunner> runners = engine.runners;
    var manifest =
        ManifestBuilder.build(
            HostFacts.probe(), runners.stream().map(TaskRunner::capability).toList(), settings.labels(), settings.maxTasks(),
            policy.policy(), isolation.level());
    FileReplayCache replay = FileReplayCache.open(store.replayCacheFile(), clock, log);
    NodeAgent agent =
        new NodeAgent(
            settings,
            manifest,
            runners,
            link.channel(),
            new FullJitterBackoff(FullJitterBackoff.DEFAULT_BASE, FullJitterBackoff.DEFAULT_CAP, random),
            rt,
            new AgentMetrics(),
            link.security(replay),
            engine.controls);
    engine.relay.forwardTo(agent.checkpointSink());
    log.info(
        "cortex-node "
            + manifest.getAgentVersion()
            + " starting: "
            + creds.describe()
            + ", hub "
            + address
            + ", max tasks "
            + settings.maxTasks()
            + ", work dir "
            + settings.workDir()
            + ", state dir "
            + store.stateDir()
            + ", spool budget "
            + settings.maxSpoolBytes()
            + " bytes"
            + ", instance "
            + agent.instanceId()
            + "; capabilities "
            + runners.stream().map(TaskRunner::capability).toList()
            + ", "
            + engine.describe());
    new SandboxLauncher(isolation, policy.policy()).taskDirsUnreachable(settings.workDir().resolve("tasks"))
        .ifPresent(log::warn);

    Thread hook =
        new Thread(
            () -> {
              log.info("signal received; stopping");
              stop(agent, link, replay, engine, settings);
            },
            "cortex-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    agent.start();
    link.renewer().start();
    try {
      CompletableFuture.anyOf(agent.drained(), link.renewer().expired()).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
    Runtime.getRuntime().removeShutdownHook(hook);
    stop(agent, link, replay, engine, settings);
    if (link.renewer().expired().isDone()) {
      throw link.renewer().expired().join();
    }
    // Drained by the hub: leave normally, without waiting for a signal.
    log.info("drained and disconnected; exiting");
    return ExitCodes.OK;
  }

  private static void stop(
      NodeAgent agent, EnrolledNode link, FileReplayCache replay, ExecutionSetup engine, AgentSettings settings) {
    try {
      agent.shutdown().get(settings.shutdownGrace().toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Best effort: the JVM is going away either way.
    }
    // After the tasks: the last consent questions are withdrawn and audited, then the final checkpoint.
    engine.close();
    link.close();
    replay.close();
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
