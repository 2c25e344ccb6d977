package io.cortexhub.node.sandbox;

import io.cortexhub.node.policy.ResourceLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Per-task quotas with cgroups v2: {@code <own cgroup>/cortex-tasks/<task>} with {@code memory.max}
 * (no swap), {@code memory.oom.group} (an OOM kill takes the whole task), {@code pids.max} and
 * {@code cpu.max}; killing uses {@code cgroup.kill} (Linux 5.14+) or freeze-and-kill.
 *
 * <p>v2 forbids processes in a cgroup whose children get controllers ("no internal processes"), so
 * when the agent's own cgroup is not the root, the agent first moves itself into a leaf {@code
 * <own>/agent} — what a systemd service with {@code Delegate=yes} is expected to do. Thread-safe.
 */
final class CgroupV2Controller implements QuotaController {
  private static final List<String> CONTROLLERS = List.of("memory", "pids", "cpu");

  private final Path tasks;
  private final Path shell;

  private CgroupV2Controller(Path tasks, Path shell) {
    this.tasks = tasks;
    this.shell = shell;
  }

  /**
   * Finds the unified hierarchy with memory and pids available to us and prepares it.
   *
   * @param notes receives the reason when it is not usable
   */
  static Optional<CgroupV2Controller> locate(Cgroups.Host host, List<String> notes) {
    Optional<Path> mount = Cgroups.mounts(host, "cgroup2").stream().map(f -> Path.of(f[1])).findFirst();
    if (mount.isEmpty()) {
      notes.add("cgroup v2: not mounted");
      return Optional.empty();
    }
    String available = Cgroups.read(mount.get().resolve("cgroup.controllers")).orElse("");
    List<String> have = List.of(available.trim().split("\\s+"));
    if (!have.contains("memory") || !have.contains("pids")) {
      notes.add("cgroup v2: memory and pids controllers are not available at " + mount.get() + " (hybrid or v1 machine)");
      return Optional.empty();
    }
    String own = Cgroups.ownPath(host, "").orElse("/");
    Path base = Cgroups.under(mount.get(), own);
    try {
      String enable = enableLine(Cgroups.read(base.resolve("cgroup.controllers")).orElse(available));
      if (!base.equals(mount.get()) && !Cgroups.pids(base.resolve("cgroup.procs")).isEmpty()
          && !Cgroups.read(base.resolve("cgroup.subtree_control")).orElse("").contains("memory")) {
        Path leaf = base.resolve("agent");
        Files.createDirectories(leaf);
        for (long pid : Cgroups.pids(base.resolve("cgroup.procs"))) {
          Cgroups.write(leaf.resolve("cgroup.procs"), Long.toString(pid));
        }
        // Our own pid is filtered out of pids(): move ourselves explicitly.
        Cgroups.write(leaf.resolve("cgroup.procs"), Long.toString(ProcessHandle.current().pid()));
      }
      Cgroups.write(base.resolve("cgroup.subtree_control"), enable);
      Path tasks = base.resolve(Cgroups.TASKS_DIR);
      Cgroups.removeStale(tasks);
      Files.createDirectories(tasks);
      Cgroups.write(tasks.resolve("cgroup.subtree_control"), enable);
      return Optional.of(new CgroupV2Controller(tasks, host.shell()));
    } catch (IOException e) {
      notes.add("cgroup v2: cannot delegate controllers under " + base + ": " + e);
      return Optional.empty();
    }
  }

  private static String enableLine(String controllers) {
    List<String> have = List.of(controllers.trim().split("\\s+"));
    StringBuilder b = new StringBuilder();
    for (String c : CONTROLLERS) {
      if (have.contains(c)) {
        b.append(b.length() == 0 ? "" : " ").append('+').append(c);
      }
    }
    return b.toString();
  }

  @Override
  public QuotaMechanism mechanism() {
    return QuotaMechanism.CGROUP_V2;
  }

  @Override
  public TaskQuota create(String taskId, ResourceLimits limits) {
    Path dir = tasks.resolve(Cgroups.taskDirName(taskId));
    try {
      Files.createDirectory(dir);
      V2Quota quota = new V2Quota(dir);
      try {
        if (limits.memoryBytes() > 0) {
          Cgroups.write(dir.resolve("memory.max"), Long.toString(limits.memoryBytes()));
          Cgroups.writeOptional(dir.resolve("memory.swap.max"), "0");
          Cgroups.writeOptional(dir.resolve("memory.oom.group"), "1");
        }
        if (limits.maxProcesses() > 0) {
          Cgroups.write(dir.resolve("pids.max"), Integer.toString(limits.maxProcesses()));
        }
        if (limits.cpuMillis() > 0) {
          Cgroups.writeOptional(dir.resolve("cpu.max"), (limits.cpuMillis() * 100L) + " 100000");
        }
      } catch (IOException e) {
        quota.close();
        throw e;
      }
      return quota;
    } catch (IOException e) {
      throw new QuotaException("cannot create the cgroup of task " + taskId + ": " + e, e);
    }
  }

  private final class V2Quota implements TaskQuota {
    private final Path dir;
    private boolean closed;

    V2Quota(Path dir) {
      this.dir = dir;
    }

    @Override
    public List<String> wrap(List<String> command) {
      return Cgroups.enter(shell, List.of(dir.resolve("cgroup.procs")), command);
    }

    @Override
    public Set<Long> pids() {
      return Cgroups.pids(dir.resolve("cgroup.procs"));
    }

    @Override
    public void killAll() {
      if (pids().isEmpty()) {
        return;
      }
      if (Cgroups.writeOptional(dir.resolve("cgroup.kill"), "1")) {
        Cgroups.killUntilEmpty(this::pids, Cgroups.KILL_DEADLINE);
        return;
      }
      boolean frozen = Cgroups.writeOptional(dir.resolve("cgroup.freeze"), "1");
      try {
        Cgroups.signalOnce(pids());
      } finally {
        if (frozen) {
          Cgroups.writeOptional(dir.resolve("cgroup.freeze"), "0");
        }
      }
      Cgroups.killUntilEmpty(this::pids, Cgroups.KILL_DEADLINE);
    }

    @Override
    public QuotaUsage usage() {
      return new QuotaUsage(
          Cgroups.counter(dir.resolve("memory.events"), "oom_kill"),
          Cgroups.counter(dir.resolve("memory.events"), "max"),
          Cgroups.counter(dir.resolve("pids.events"), "max"));
    }

    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      killAll();
      Cgroups.remove(dir, Cgroups.KILL_DEADLINE);
    }
  }
}
