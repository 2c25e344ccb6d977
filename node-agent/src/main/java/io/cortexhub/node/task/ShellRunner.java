package io.cortexhub.node.task;

import io.cortexhub.proto.node.v1.ShellPayload;
import io.cortexhub.proto.node.v1.TaskSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The {@code shell} capability: runs {@code argv} as a real process through {@link ProcessBuilder}
 * (no shell unless argv names one), with extra environment, a working directory and optional stdin.
 *
 * <p>Each process starts in a session and process group of its own (through {@code setsid}, when the
 * machine has it) so that stopping the task reaches every process it spawned. Thread-safe.
 */
public final class ShellRunner implements TaskRunner {
  public static final String CAPABILITY = "shell";

  /** Used when a spec says {@code kill_grace_ms = 0}; matches the hub's default. */
  public static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(5);

  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final Executor io;
  private final Random random;
  private final ProcessTreeKiller killer;
  private final String setsid;

  /**
   * @param io runs blocking work: pipe readers (two per task), stdin writers and kills; must not be
   *     bounded below three threads per running task
   */
  public ShellRunner(
      Clock clock,
      ScheduledExecutorService scheduler,
      Executor io,
      Random random,
      ProcessTreeKiller killer) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.io = Objects.requireNonNull(io, "io");
    this.random = Objects.requireNonNull(random, "random");
    this.killer = Objects.requireNonNull(killer, "killer");
    this.setsid = findSetsid();
  }

  @Override
  public String capability() {
    return CAPABILITY;
  }

  /** Whether processes get their own process group on this machine. */
  public boolean hasProcessGroups() {
    return setsid != null;
  }

  @Override
  public RunningTask start(TaskSpec spec, Path defaultWorkDir, TaskEvents events) {
    ShellPayload shell = spec.getShell();
    Path dir;
    try {
      dir = workingDirectory(shell, defaultWorkDir);
    } catch (IOException e) {
      events.finished(TaskResult.couldNotStart(clock.millis(), e.getMessage()));
      return RunningTask.DONE;
    }
    String exe = shell.getArgv(0);
    String path = shell.getEnvMap().getOrDefault("PATH", System.getenv().getOrDefault("PATH", ""));
    if (findExecutable(exe, dir, path) == null) {
      events.finished(TaskResult.couldNotStart(clock.millis(), "cannot start " + exe + ": no such executable"));
      return RunningTask.DONE;
    }
    List<String> command = new ArrayList<>();
    if (setsid != null) {
      command.add(setsid);
    }
    command.addAll(shell.getArgvList());
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().putAll(shell.getEnvMap());
    String marker = spec.getTaskId() + "-" + HexFormat.of().toHexDigits(random.nextLong());
    pb.environment().put(ProcessTreeKiller.MARKER_VARIABLE, marker);
    if (shell.getStdin().isEmpty()) {
      pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    }
    Duration grace =
        spec.getKillGraceMs() > 0 ? Duration.ofMillis(spec.getKillGraceMs()) : DEFAULT_KILL_GRACE;
    ShellTask task =
        new ShellTask(spec.getTaskId(), marker, setsid != null, events, clock, scheduler, io, killer);
    task.launch(pb, shell.getStdin(), spec.getTimeoutMs(), grace);
    return task;
  }

  private static Path workingDirectory(ShellPayload shell, Path defaultWorkDir) throws IOException {
    if (shell.getWorkingDir().isEmpty()) {
      try {
        return Files.createDirectories(defaultWorkDir);
      } catch (IOException e) {
        throw new IOException("cannot create working directory " + defaultWorkDir + ": " + e, e);
      }
    }
    Path dir = Path.of(shell.getWorkingDir());
    if (!Files.isDirectory(dir)) {
      throw new IOException("working directory " + dir + " does not exist or is not a directory");
    }
    return dir;
  }

  /**
   * Resolves argv[0] the way exec would, so a missing program fails with a clear detail instead of
   * an exit code from {@code setsid}.
   */
  static Path findExecutable(String exe, Path workDir, String path) {
    if (exe.contains("/")) {
      Path p = workDir.resolve(exe);
      return Files.isExecutable(p) && !Files.isDirectory(p) ? p : null;
    }
    for (String dir : path.split(":")) {
      if (dir.isEmpty()) {
        continue;
      }
      Path p = Path.of(dir, exe);
      if (Files.isExecutable(p) && !Files.isDirectory(p)) {
        return p;
      }
    }
    return null;
  }

  private static String findSetsid() {
    for (String candidate : List.of("/usr/bin/setsid", "/bin/setsid", "/usr/local/bin/setsid")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    return null;
  }
}
