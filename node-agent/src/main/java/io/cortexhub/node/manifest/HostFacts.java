package io.cortexhub.node.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Facts about the machine the agent runs on, probed once.
 *
 * <p>Every probe degrades to an empty value or 0 rather than failing: a manifest with an unknown
 * kernel is better than a node that cannot start. Immutable.
 */
public record HostFacts(
    String osName,
    String osVersion,
    String arch,
    String kernel,
    int cpus,
    long memoryBytes,
    String jvm,
    String hostname) {
  public HostFacts {
    Objects.requireNonNull(osName, "osName");
    Objects.requireNonNull(osVersion, "osVersion");
    Objects.requireNonNull(arch, "arch");
    Objects.requireNonNull(kernel, "kernel");
    Objects.requireNonNull(jvm, "jvm");
    Objects.requireNonNull(hostname, "hostname");
  }

  /** Probes this machine. May run {@code uname -r} when {@code /proc} does not say. */
  public static HostFacts probe() {
    return new HostFacts(
        System.getProperty("os.name", ""),
        System.getProperty("os.version", ""),
        System.getProperty("os.arch", ""),
        kernelRelease(),
        Runtime.getRuntime().availableProcessors(),
        physicalMemory(),
        System.getProperty("java.vendor", "") + " " + System.getProperty("java.runtime.version", ""),
        probeHostname());
  }

  /** One-minute load average, or a negative number where the platform has none. */
  public static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static String kernelRelease() {
    Path osrelease = Path.of("/proc/sys/kernel/osrelease");
    try {
      if (Files.isReadable(osrelease)) {
        return Files.readString(osrelease).trim();
      }
    } catch (IOException e) {
      // fall through to uname
    }
    try {
      Process p = new ProcessBuilder("uname", "-r").redirectErrorStream(true).start();
      try (InputStream in = p.getInputStream()) {
        String out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor(2, TimeUnit.SECONDS) && p.exitValue() == 0) {
          return out;
        }
      }
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "";
  }

  private static long physicalMemory() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize();
    }
    return 0;
  }

  private static String probeHostname() {
    try {
      Path etc = Path.of("/etc/hostname");
      if (Files.isReadable(etc)) {
        String h = Files.readString(etc).trim();
        if (!h.isEmpty()) {
          return h;
        }
      }
    } catch (IOException e) {
      // fall through
    }
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "";
    }
  }
}
