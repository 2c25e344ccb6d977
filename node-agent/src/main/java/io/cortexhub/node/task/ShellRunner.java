package io.cortexhub.node.task;

import io.cortexhub.node.policy.CommandGate;
import io.cortexhub.node.policy.CommandVerdict;
import io.cortexhub.node.policy.NodePolicy;
import io.cortexhub.node.policy.ResourceLimits;
import io.cortexhub.node.sandbox.IsolationReport;
import io.cortexhub.node.sandbox.LaunchPlan;
import io.cortexhub.node.sandbox.QuotaController;
import io.cortexhub.node.sandbox.QuotaException;
import io.cortexhub.node.sandbox.SandboxLauncher;
import io.cortexhub.node.sandbox.TaskQuota;
import io.cortexhub.proto.node.v1.ShellPayload;
import io.cortexhub.proto.node.v1.TaskSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Logger;

/**
 * The {@code shell} capability: runs {@code argv} as a real process (never through a shell unless
 * argv names one the policy allows), confined by the node's policy and sandbox.
 *
 * <p>For each task, in order: the machine must offer at least the policy's minimum isolation
 * (otherwise refuse rather than run weaker); the task's directory is created (its {@code HOME} and
 * default working directory, mode 0700, owned by the run-as user); {@link CommandGate} checks argv,
 * working directory and environment; a quota (cgroup) is created; {@link SandboxLauncher} wraps the
 * verified argv; the process starts in its own session, process group and cgroup. A refusal ends
 * the task as could-not-start with the reason. A task the kernel killed for memory, or that failed
 * at its process limit, ends as QUOTA_EXCEEDED.
 *
 * <p>Thread-safe.
 */
public final class ShellRunner implements TaskRunner {
  public static final String CAPABILITY = "shell";

  /** Used when a spec says {@code kill_grace_ms = 0}; matches the hub's default. */
  public static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(5);

  private static final Logger LOG = Logger.getLogger(ShellRunner.class.getName());

  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final Executor io;
  private final Random random;
  private final ProcessTreeKiller killer;
  private final Confinement confinement;

  /** The policy side of a confined runner. */
  private record Confinement(
      NodePolicy policy, CommandGate gate, SandboxLauncher launcher, QuotaController quotas) {}

  /**
   * A runner confined by the node's policy and sandbox.
   *
   * @param io runs blocking work: pipe readers (two per task), stdin writers, kills and cgroup
   *     clean-up; must not be bounded below three threads per running task
   * @param policy the node owner's policy ({@code PolicyFile.load} or {@code PolicyFile.defaults()})
   * @param isolation what {@code new IsolationProbe().probe()} found on this machine
   * @param quotas usually {@code QuotaController.forReport(isolation)}
   * @throws IllegalArgumentException if the policy's run-as user does not exist on this machine
   */
  public ShellRunner(
      Clock clock,
      ScheduledExecutorService scheduler,
      Executor io,
      Random random,
      ProcessTreeKiller killer,
      NodePolicy policy,
      IsolationReport isolation,
      QuotaController quotas) {
    this(clock, scheduler, io, random, killer, policy, isolation, quotas, List.of());
  }

  /**
   * A confined runner that also covers the agent's own files inside the sandbox.
   *
   * @param hidden the policy file, state directory, audit log and consent socket: no task sees
   *     them, even where a workspace root or a system directory holds them (bubblewrap level)
   * @see #ShellRunner(Clock, ScheduledExecutorService, Executor, Random, ProcessTreeKiller,
   *     NodePolicy, IsolationReport, QuotaController)
   */
  public ShellRunner(
      Clock clock,
      ScheduledExecutorService scheduler,
      Executor io,
      Random random,
      ProcessTreeKiller killer,
      NodePolicy policy,
      IsolationReport isolation,
      QuotaController quotas,
      List<Path> hidden) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.io = Objects.requireNonNull(io, "io");
    this.random = Objects.requireNonNull(random, "random");
    this.killer = Objects.requireNonNull(killer, "killer");
    this.confinement =
        new Confinement(
            Objects.requireNonNull(policy, "policy"),
            new CommandGate(policy),
            new SandboxLauncher(Objects.requireNonNull(isolation, "isolation"), policy, hidden),
            Objects.requireNonNull(quotas, "quotas"));
    confinement.launcher().refusal().ifPresent(r -> LOG.warning("shell tasks will be refused: " + r));
  }

  @Override
  public String capability() {
    return CAPABILITY;
  }

  @Override
  public RunningTask start(TaskSpec spec, Path defaultWorkDir, TaskEvents events) {
    Confinement c = confinement;
    Optional<String> machine = c.launcher().refusal();
    if (machine.isPresent()) {
      LOG.warning("refused task " + spec.getTaskId() + ": " + machine.get());
      return couldNotStart(events, "refused: " + machine.get());
    }
    Path taskDir;
    try {
      c.launcher().prepareTaskDir(defaultWorkDir);
      taskDir = defaultWorkDir.toRealPath();
    } catch (IOException e) {
      return couldNotStart(events, "cannot create task directory " + defaultWorkDir + ": " + e);
    }
    CommandVerdict verdict = c.gate().check(spec.getShell(), taskDir);
    if (verdict instanceof CommandVerdict.Refused r) {
      LOG.info("refused task " + spec.getTaskId() + " by policy: " + r.reason());
      return couldNotStart(events, r.reason());
    }
    CommandVerdict.Allowed allowed = (CommandVerdict.Allowed) verdict;
    ResourceLimits limits = c.policy().defaultLimits();
    TaskQuota quota;
    try {
      quota = c.quotas().create(spec.getTaskId(), limits);
    } catch (QuotaException e) {
      LOG.warning("task " + spec.getTaskId() + ": " + e.getMessage());
      return couldNotStart(events, "cannot set up the task's resource quota: " + e.getMessage());
    }
    String marker = marker(spec);
    LaunchPlan plan = c.launcher().plan(allowed, taskDir, quota, Map.of(ProcessTreeKiller.MARKER_VARIABLE, marker));
    ProcessBuilder pb = new ProcessBuilder(plan.command()).directory(plan.directory().toFile());
    pb.environment().clear();
    pb.environment().putAll(plan.environment());
    ShellPayload shell = spec.getShell();
    if (shell.getStdin().isEmpty()) {
      pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    }
    ShellTask task =
        new ShellTask(spec.getTaskId(), marker, c.launcher().ownProcessGroup(), plan.treeDiesWithLeader(), events,
            clock, scheduler, io, killer, quota, limits, allowed.argv().get(0));
    task.launch(pb, shell.getStdin(), limits.effectiveTimeoutMs(spec.getTimeoutMs()), grace(spec));
    return task;
  }

  private RunningTask couldNotStart(TaskEvents events, String detail) {
    events.finished(TaskResult.couldNotStart(clock.millis(), detail));
    return RunningTask.DONE;
  }

  private String marker(TaskSpec spec) {
    return spec.getTaskId() + "-" + HexFormat.of().toHexDigits(random.nextLong());
  }

  private static Duration grace(TaskSpec spec) {
    return spec.getKillGraceMs() > 0 ? Duration.ofMillis(spec.getKillGraceMs()) : DEFAULT_KILL_GRACE;
  }
}
