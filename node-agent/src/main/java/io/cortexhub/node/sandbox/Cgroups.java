package io.cortexhub.node.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Helpers shared by the cgroup v1 and v2 controllers: where the kernel says things are, reading and
 * writing interface files, the entry shim, and the kill loop. Stateless apart from a name counter;
 * thread-safe.
 */
final class Cgroups {
  private static final Logger LOG = Logger.getLogger(Cgroups.class.getName());
  /** How long killing and removing a task's cgroup may take before we give up and log. */
  static final Duration KILL_DEADLINE = Duration.ofSeconds(5);
  /** The directory under the agent's own cgroup that holds one child per task. */
  static final String TASKS_DIR = "cortex-tasks";

  /**
   * Where to read the mount table and our own cgroup membership; tests point these at files of
   * their own to play a machine they are not on.
   */
  record Host(Path mounts, Path selfCgroup, Path shell) {}

  static final Host SYSTEM = new Host(Path.of("/proc/self/mounts"), Path.of("/proc/self/cgroup"), Path.of("/bin/sh"));

  /**
   * Joins the cgroups (writes its own pid into every {@code cgroup.procs} given), then execs the
   * command: the process is inside its quota before the task's program runs its first instruction.
   * Written for the agent, never with task text in it: the files and the command are positional
   * arguments, never parsed as shell code.
   */
  static final String ENTRY_SHIM =
      "n=$1; shift; while [ \"$n\" -gt 0 ]; do echo $$ > \"$1\" || { echo \"cortex-node: cannot join cgroup $1\" >&2;"
          + " exit 125; }; shift; n=$((n-1)); done; exec \"$@\"";

  private static final AtomicLong COUNTER = new AtomicLong();
  private static final long OWN_PID = ProcessHandle.current().pid();

  private Cgroups() {}

  static List<String> enter(Path shell, List<Path> procsFiles, List<String> command) {
    List<String> out = new ArrayList<>();
    out.add(shell.toString());
    out.add("-c");
    out.add(ENTRY_SHIM);
    out.add("cortex-cgroup-entry");
    out.add(Integer.toString(procsFiles.size()));
    procsFiles.forEach(p -> out.add(p.toString()));
    out.addAll(command);
    return out;
  }

  /**
   * A directory name for a task: {@code t-<id made safe>-<agent pid>-<counter>}, so that reruns of
   * a task id and agents before us never collide, and {@link #staleOwner} can tell our cgroups from
   * those a dead agent left behind.
   */
  static String taskDirName(String taskId) {
    String safe = taskId.replaceAll("[^A-Za-z0-9._-]", "_");
    if (safe.length() > 64) {
      safe = safe.substring(0, 64);
    }
    return "t-" + safe + "-" + OWN_PID + "-" + COUNTER.incrementAndGet();
  }

  /** Whether a task cgroup's name says it was made by an agent process that is no longer alive. */
  static boolean staleOwner(String dirName) {
    String[] f = dirName.split("-");
    if (!dirName.startsWith("t-") || f.length < 4) {
      return false;
    }
    try {
      long pid = Long.parseLong(f[f.length - 2]);
      return pid != OWN_PID && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /**
   * Kills what is left in, and removes, task cgroups under {@code base} whose agent died (a crash,
   * SIGKILL): their processes would otherwise run on unsupervised, and the directories would keep
   * the agent's own cgroup from being removed.
   */
  static void removeStale(Path base) {
    List<Path> stale = new ArrayList<>();
    try (var children = Files.newDirectoryStream(base, p -> Files.isDirectory(p) && staleOwner(p.getFileName().toString()))) {
      children.forEach(stale::add);
    } catch (IOException e) {
      return; // no base yet: nothing left behind
    }
    for (Path dir : stale) {
      LOG.warning("removing task cgroup " + dir + " left behind by an agent that is gone");
      killUntilEmpty(() -> pids(dir.resolve("cgroup.procs")), KILL_DEADLINE);
      remove(dir, KILL_DEADLINE);
    }
  }

  static void write(Path file, String value) throws IOException {
    Files.writeString(file, value);
  }

  static boolean writeOptional(Path file, String value) {
    try {
      write(file, value);
      return true;
    } catch (IOException e) {
      LOG.log(Level.FINE, "optional cgroup setting " + file + " not applied: " + e.getMessage());
      return false;
    }
  }

  static Optional<String> read(Path file) {
    try {
      return Optional.of(Files.readString(file));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The number after {@code key} in a flat-keyed file ({@code memory.events}, {@code pids.events}). */
  static long counter(Path file, String key) {
    return read(file).stream()
        .flatMap(String::lines)
        .map(l -> l.trim().split("\\s+"))
        .filter(f -> f.length == 2 && f[0].equals(key))
        .mapToLong(f -> Long.parseLong(f[1]))
        .sum();
  }

  /** A file holding one number ({@code memory.failcnt}); 0 if absent. */
  static long number(Path file) {
    try {
      return read(file).map(String::trim).map(Long::parseLong).orElse(0L);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The pids listed in a {@code cgroup.procs} file. */
  static Set<Long> pids(Path procs) {
    Set<Long> out = new LinkedHashSet<>();
    read(procs).stream().flatMap(String::lines).map(String::trim).filter(l -> !l.isEmpty()).forEach(l -> {
      try {
        out.add(Long.parseLong(l));
      } catch (NumberFormatException e) {
        // Not a pid line; the kernel writes only pids, a fake may write anything.
      }
    });
    out.remove(OWN_PID);
    return out;
  }

  /** SIGKILLs each of these processes once. */
  static void signalOnce(Set<Long> pids) {
    for (long pid : pids) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  /** SIGKILLs what {@code members} lists until it lists nothing, or the deadline passes. */
  static boolean killUntilEmpty(Supplier<Set<Long>> members, Duration deadline) {
    long end = System.nanoTime() + deadline.toNanos();
    while (true) {
      Set<Long> pids = members.get();
      if (pids.isEmpty()) {
        return true;
      }
      signalOnce(pids);
      if (System.nanoTime() > end) {
        LOG.warning("processes " + pids + " survived SIGKILL for " + deadline + "; giving up on them");
        return false;
      }
      LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
    }
  }

  /** Removes a cgroup directory once its last process has left (exiting processes take a moment). */
  static void remove(Path dir, Duration deadline) {
    long end = System.nanoTime() + deadline.toNanos();
    while (Files.exists(dir)) {
      try {
        Files.delete(dir);
        return;
      } catch (IOException e) {
        if (System.nanoTime() > end) {
          LOG.warning("cannot remove cgroup " + dir + ": " + e);
          return;
        }
        LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
      }
    }
  }

  /** Lines of the mount table with this file system type: [device, mount point, type, options]. */
  static List<String[]> mounts(Host host, String type) {
    List<String[]> out = new ArrayList<>();
    read(host.mounts()).stream().flatMap(String::lines).map(l -> l.split(" ")).forEach(f -> {
      if (f.length >= 4 && f[2].equals(type)) {
        out.add(f);
      }
    });
    return out;
  }

  /** Our own cgroup path in the hierarchy with this controller ("" = the v2 unified entry). */
  static Optional<String> ownPath(Host host, String controller) {
    return read(host.selfCgroup()).stream()
        .flatMap(String::lines)
        .map(l -> l.split(":", 3))
        .filter(f -> f.length == 3)
        .filter(f -> controller.isEmpty() ? f[0].equals("0") && f[1].isEmpty() : List.of(f[1].split(",")).contains(controller))
        .map(f -> f[2])
        .findFirst();
  }

  /** {@code mount/own} if it exists, else the mount itself (we are in a cgroup namespace). */
  static Path under(Path mount, String own) {
    Path p = mount.resolve(own.startsWith("/") ? own.substring(1) : own);
    return Files.isDirectory(p) ? p : mount;
  }
}
