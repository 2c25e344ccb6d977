package io.cortexhub.node.sandbox;

import io.cortexhub.node.policy.ResourceLimits;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The fallback when there are no usable cgroups: rlimits set by {@code prlimit} before the command
 * runs. Weaker in three ways, stated so nobody relies on more: {@code RLIMIT_AS} limits address
 * space, not memory, and a process over it sees failed allocations rather than an OOM kill (so
 * QUOTA_EXCEEDED cannot be told apart from a failure); {@code RLIMIT_NPROC} counts every process of
 * the user, so tasks running as the same user share it (and root ignores it); there is no list of a
 * task's processes, so killing relies on the process group, the marker and the PID namespace.
 * Thread-safe (stateless).
 */
final class PrlimitController implements QuotaController {
  private final Path prlimit;

  PrlimitController(Path prlimit) {
    this.prlimit = prlimit;
  }

  @Override
  public QuotaMechanism mechanism() {
    return QuotaMechanism.PRLIMIT;
  }

  @Override
  public TaskQuota create(String taskId, ResourceLimits limits) {
    List<String> prefix = new ArrayList<>();
    prefix.add(prlimit.toString());
    if (limits.memoryBytes() > 0) {
      prefix.add("--as=" + limits.memoryBytes());
    }
    if (limits.maxProcesses() > 0) {
      prefix.add("--nproc=" + limits.maxProcesses());
    }
    prefix.add("--");
    return new TaskQuota() {
      @Override
      public List<String> wrap(List<String> command) {
        List<String> out = new ArrayList<>(prefix);
        out.addAll(command);
        return out;
      }

      @Override
      public java.util.Set<Long> pids() {
        return java.util.Set.of();
      }

      @Override
      public void killAll() {}

      @Override
      public QuotaUsage usage() {
        return QuotaUsage.NONE;
      }

      @Override
      public void close() {}
    };
  }
}
