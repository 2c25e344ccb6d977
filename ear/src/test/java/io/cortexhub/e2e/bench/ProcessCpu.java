package io.cortexhub.e2e.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time a process has used so far, read from Linux {@code /proc/PID/stat} (user + system), so the
 * benchmark can say how the machine's cores were shared between the hub, the simulated fleet and the load
 * driver. Returns -1 where {@code /proc} is not available. Stateless, thread-safe.
 */
final class ProcessCpu {
  /** Clock ticks per second of {@code /proc} times; 100 on every Linux this runs on (USER_HZ). */
  private static final double TICKS_PER_SECOND = 100.0;

  private ProcessCpu() {}

  /** Seconds of CPU (user + system, all threads) used by {@code pid} since it started, or -1. */
  static double seconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long utime = Long.parseLong(f[11]);
      long stime = Long.parseLong(f[12]);
      return (utime + stime) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
