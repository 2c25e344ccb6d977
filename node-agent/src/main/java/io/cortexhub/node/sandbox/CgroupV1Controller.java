package io.cortexhub.node.sandbox;

import io.cortexhub.node.policy.ResourceLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * Per-task quotas with cgroups v1: one child cgroup per task in the memory and pids hierarchies
 * (required), and in cpu and freezer when mounted, each under the agent's own cgroup there (so the
 * agent's own limits still cover its tasks). Killing freezes the task first when the freezer is
 * there, so that a fork bomb cannot outrun the kill loop. The {@code cortex-tasks} directory is
 * removed again whenever the last task's cgroup goes, so that nothing of ours blocks whoever owns
 * the agent's cgroup from removing it. Thread-safe.
 */
final class CgroupV1Controller implements QuotaController {
  private static final List<String> REQUIRED = List.of("memory", "pids");
  private static final List<String> OPTIONAL = List.of("cpu", "freezer");

  /** controller name to the directory holding the tasks' cgroups (created). */
  private final Map<String, Path> bases;
  private final Path shell;

  private CgroupV1Controller(Map<String, Path> bases, Path shell) {
    this.bases = Map.copyOf(bases);
    this.shell = shell;
  }

  /**
   * Finds writable v1 hierarchies for memory and pids.
   *
   * @param notes receives the reason when there are none
   */
  static Optional<CgroupV1Controller> locate(Cgroups.Host host, List<String> notes) {
    Map<String, Path> bases = new LinkedHashMap<>();
    List<String[]> mounts = Cgroups.mounts(host, "cgroup");
    for (String controller : concat(REQUIRED, OPTIONAL)) {
      Optional<Path> mount = mounts.stream()
          .filter(f -> List.of(f[3].split(",")).contains(controller))
          .map(f -> Path.of(f[1]))
          .findFirst();
      if (mount.isEmpty()) {
        if (REQUIRED.contains(controller)) {
          notes.add("cgroup v1: no " + controller + " hierarchy mounted");
          return Optional.empty();
        }
        continue;
      }
      String own = Cgroups.ownPath(host, controller).orElse("/");
      Path base = Cgroups.under(mount.get(), own).resolve(Cgroups.TASKS_DIR);
      Cgroups.removeStale(base);
      try {
        Files.createDirectories(base);
        Path probe = Files.createDirectory(base.resolve("probe-" + ProcessHandle.current().pid()));
        Files.delete(probe);
        removeIfEmpty(base);
      } catch (IOException e) {
        if (REQUIRED.contains(controller)) {
          notes.add("cgroup v1: cannot create cgroups in " + base + ": " + e);
          return Optional.empty();
        }
        continue;
      }
      bases.put(controller, base);
    }
    return Optional.of(new CgroupV1Controller(bases, host.shell()));
  }

  @Override
  public QuotaMechanism mechanism() {
    return QuotaMechanism.CGROUP_V1;
  }

  @Override
  public TaskQuota create(String taskId, ResourceLimits limits) {
    String name = Cgroups.taskDirName(taskId);
    Map<String, Path> dirs = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, Path> e : bases.entrySet()) {
        dirs.put(e.getKey(), createChild(e.getValue(), name));
      }
      Path memory = dirs.get("memory");
      if (limits.memoryBytes() > 0) {
        Cgroups.write(memory.resolve("memory.limit_in_bytes"), Long.toString(limits.memoryBytes()));
        // Without this the task would swap instead of being stopped (when the machine has swap).
        Cgroups.writeOptional(memory.resolve("memory.memsw.limit_in_bytes"), Long.toString(limits.memoryBytes()));
      }
      if (limits.maxProcesses() > 0) {
        Cgroups.write(dirs.get("pids").resolve("pids.max"), Integer.toString(limits.maxProcesses()));
      }
      Path cpu = dirs.get("cpu");
      if (cpu != null && limits.cpuMillis() > 0) {
        Cgroups.write(cpu.resolve("cpu.cfs_period_us"), "100000");
        Cgroups.write(cpu.resolve("cpu.cfs_quota_us"), Long.toString(limits.cpuMillis() * 100L));
      }
    } catch (IOException e) {
      new V1Quota(dirs).close();
      throw new QuotaException("cannot create the cgroups of task " + taskId + ": " + e, e);
    }
    return new V1Quota(dirs);
  }

  private final class V1Quota implements TaskQuota {
    private final Map<String, Path> dirs;
    private boolean closed;

    V1Quota(Map<String, Path> dirs) {
      this.dirs = dirs;
    }

    @Override
    public List<String> wrap(List<String> command) {
      List<Path> procs = dirs.values().stream().map(d -> d.resolve("cgroup.procs")).toList();
      return Cgroups.enter(shell, procs, command);
    }

    @Override
    public Set<Long> pids() {
      Set<Long> out = new LinkedHashSet<>();
      dirs.values().forEach(d -> out.addAll(Cgroups.pids(d.resolve("cgroup.procs"))));
      return out;
    }

    @Override
    public void killAll() {
      if (pids().isEmpty()) {
        return; // the usual case at the end of a task: nothing to freeze or kill
      }
      Path freezer = dirs.get("freezer");
      if (freezer != null && freeze(freezer.resolve("freezer.state"))) {
        // Frozen, the members cannot fork: one pass of SIGKILL reaches all of them, and it is
        // delivered as they thaw.
        try {
          Cgroups.signalOnce(pids());
        } finally {
          Cgroups.writeOptional(freezer.resolve("freezer.state"), "THAWED");
        }
      }
      Cgroups.killUntilEmpty(this::pids, Cgroups.KILL_DEADLINE);
    }

    private boolean freeze(Path state) {
      if (!Cgroups.writeOptional(state, "FROZEN")) {
        return false;
      }
      long end = System.nanoTime() + Duration.ofSeconds(1).toNanos();
      while (System.nanoTime() < end) {
        if (Cgroups.read(state).map(String::trim).orElse("").equals("FROZEN")) {
          return true;
        }
        LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
      }
      return true; // FREEZING: most are stopped; the loop after thawing catches the rest
    }

    @Override
    public QuotaUsage usage() {
      Path memory = dirs.get("memory");
      Path pids = dirs.get("pids");
      long oom = memory == null ? 0 : Cgroups.counter(memory.resolve("memory.oom_control"), "oom_kill");
      long failcnt = memory == null ? 0 : Cgroups.number(memory.resolve("memory.failcnt"));
      long max = pids == null ? 0 : Cgroups.counter(pids.resolve("pids.events"), "max");
      return new QuotaUsage(oom, failcnt, max);
    }

    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      killAll();
      for (Path d : dirs.values()) {
        Cgroups.remove(d, Cgroups.KILL_DEADLINE);
        removeIfEmpty(d.getParent());
      }
    }
  }

  /**
   * Creates {@code base/name}, recreating {@code base} if the last task's clean-up removed it in
   * between (a few tries: each removal needs an empty base, which our own mkdir then ends).
   */
  private static Path createChild(Path base, String name) throws IOException {
    for (int attempt = 1; ; attempt++) {
      Files.createDirectories(base);
      try {
        return Files.createDirectory(base.resolve(name));
      } catch (java.nio.file.NoSuchFileException e) {
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  /** rmdir that fails quietly while other tasks' cgroups are still there. */
  private static void removeIfEmpty(Path base) {
    try {
      Files.deleteIfExists(base);
    } catch (IOException e) {
      // Not empty (another task is running) or busy: the last one out removes it.
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
