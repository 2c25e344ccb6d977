package io.cortexhub.node.policy;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-task resource quotas. Zero means "no limit" for each field.
 *
 * @param memoryBytes most memory (RSS + page cache + tmpfs) the task's processes may use together;
 *     past it the kernel's OOM killer ends the task, which is reported as QUOTA_EXCEEDED
 * @param cpuMillis CPU bandwidth in thousandths of a CPU (1000 = one full core, 500 = half)
 * @param maxProcesses most processes and threads alive in the task at once (fork bombs stop here)
 * @param wallTime longest a task may run; a task's own shorter {@code timeout_ms} wins
 */
public record ResourceLimits(long memoryBytes, int cpuMillis, int maxProcesses, Duration wallTime) {
  public ResourceLimits {
    Objects.requireNonNull(wallTime, "wallTime");
    if (memoryBytes < 0 || cpuMillis < 0 || maxProcesses < 0 || wallTime.isNegative()) {
      throw new IllegalArgumentException("resource limits must not be negative");
    }
  }

  /** No limits at all. */
  public static ResourceLimits unlimited() {
    return new ResourceLimits(0, 0, 0, Duration.ZERO);
  }

  /**
   * The timeout to apply: the task's own when it is set and shorter than the policy's wall time.
   *
   * @param specTimeoutMs the task's {@code timeout_ms} (0 = none)
   * @return milliseconds, 0 = no limit
   */
  public long effectiveTimeoutMs(long specTimeoutMs) {
    long policy = wallTime.toMillis();
    if (policy == 0) {
      return specTimeoutMs;
    }
    return specTimeoutMs == 0 ? policy : Math.min(policy, specTimeoutMs);
  }
}
