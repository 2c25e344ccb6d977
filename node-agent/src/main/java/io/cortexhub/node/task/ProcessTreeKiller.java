package io.cortexhub.node.task;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Signals every process that belongs to a task: its process group, the leader's descendants, and
 * any process carrying the task's marker variable in its environment.
 *
 * <p>Why three nets: a process group misses children that called {@code setsid}; {@code
 * descendants()} misses children whose parent already died (they were re-parented to init); a
 * double-forked daemon escapes both but still inherits the environment, so scanning {@code
 * /proc/PID/environ} for the marker finds it (unless it scrubbed its environment: the task's
 * cgroup closes that gap — {@link #signalPids} is given its member list by the sandbox's quota). Individual processes are signalled
 * through {@link ProcessHandle}, which checks the start time and so never hits a reused pid.
 *
 * <p>Blocking (spawns {@code kill}, reads {@code /proc}); call it from an I/O thread. Thread-safe.
 */
public final class ProcessTreeKiller {
  /** The environment variable that tags every process of a task. */
  public static final String MARKER_VARIABLE = "CORTEX_TASK_MARKER";

  private static final Logger LOG = Logger.getLogger(ProcessTreeKiller.class.getName());
  private static final Path PROC = Path.of("/proc");

  private final long ownPid = ProcessHandle.current().pid();
  private final long ownGroup = processGroupOf(ownPid).orElse(-1L);

  /**
   * Sends SIGTERM ({@code force == false}) or SIGKILL to everything of the task.
   *
   * @param groupId the task's process group id (the leader's pid when it was started through {@code
   *     setsid}), or a negative number if it has no group of its own
   * @return the processes that were signalled individually (the group is signalled as a whole)
   */
  public Set<ProcessHandle> signal(ProcessHandle leader, long groupId, String marker, boolean force) {
    Set<ProcessHandle> targets = members(leader, marker);
    if (groupId > 1 && groupId != ownGroup) {
      signalGroup(groupId, force);
    }
    for (ProcessHandle p : targets) {
      if (force) {
        p.destroyForcibly();
      } else {
        p.destroy();
      }
    }
    return targets;
  }

  /**
   * Sends SIGTERM or SIGKILL to each of these processes (the members of a task's cgroup). The
   * agent's own pid is never signalled.
   */
  public void signalPids(Set<Long> pids, boolean force) {
    for (long pid : pids) {
      if (pid == ownPid) {
        continue;
      }
      ProcessHandle.of(pid).ifPresent(p -> {
        if (force) {
          p.destroyForcibly();
        } else {
          p.destroy();
        }
      });
    }
  }

  /** The leader (if alive), its descendants, and every process tagged with the marker. */
  public Set<ProcessHandle> members(ProcessHandle leader, String marker) {
    Set<ProcessHandle> found = new LinkedHashSet<>();
    if (leader.isAlive()) {
      found.add(leader);
    }
    leader.descendants().forEach(found::add);
    found.addAll(tagged(marker));
    found.removeIf(p -> p.pid() == ownPid);
    return found;
  }

  /** Processes whose environment contains {@code CORTEX_TASK_MARKER=<marker>} (Linux only). */
  public List<ProcessHandle> tagged(String marker) {
    List<ProcessHandle> out = new ArrayList<>();
    if (!Files.isDirectory(PROC)) {
      return out;
    }
    byte[] needle = (MARKER_VARIABLE + "=" + marker).getBytes(StandardCharsets.UTF_8);
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, "[0-9]*")) {
      for (Path dir : dirs) {
        long pid;
        try {
          pid = Long.parseLong(dir.getFileName().toString());
        } catch (NumberFormatException e) {
          continue;
        }
        if (pid == ownPid) {
          continue;
        }
        // Take the handle first: if the pid is reused between the handle and the read, the handle
        // carries the old start time and signalling it does nothing.
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isPresent() && environContains(dir.resolve("environ"), needle)) {
          out.add(handle.get());
        }
      }
    } catch (IOException e) {
      LOG.log(Level.FINE, "cannot scan /proc for task processes", e);
    }
    return out;
  }

  /** The process group of a live process, read from {@code /proc/PID/stat}. */
  public static Optional<Long> processGroupOf(long pid) {
    try {
      String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
      // Fields after the command name, which is in parentheses and may contain spaces.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Optional.of(Long.parseLong(f[2]));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static boolean environContains(Path environ, byte[] needle) {
    byte[] env;
    try {
      env = Files.readAllBytes(environ);
    } catch (IOException | SecurityException e) {
      return false; // gone, or not ours to read
    }
    // Entries are NUL-separated; match a whole entry.
    int start = 0;
    for (int i = 0; i <= env.length; i++) {
      if (i == env.length || env[i] == 0) {
        if (i - start == needle.length && java.util.Arrays.equals(env, start, i, needle, 0, needle.length)) {
          return true;
        }
        start = i + 1;
      }
    }
    return false;
  }

  private static void signalGroup(long groupId, boolean force) {
    try {
      Process kill =
          new ProcessBuilder("kill", "-s", force ? "KILL" : "TERM", "--", "-" + groupId)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!kill.waitFor(5, TimeUnit.SECONDS)) {
        kill.destroyForcibly();
      }
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot run kill for process group " + groupId, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
