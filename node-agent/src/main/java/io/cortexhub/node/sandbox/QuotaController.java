package io.cortexhub.node.sandbox;

import io.cortexhub.node.policy.ResourceLimits;

/**
 * Creates per-task resource quotas with the best mechanism the machine has: a cgroup per task
 * (v2, else v1) or rlimits through {@code prlimit}. Thread-safe.
 */
public interface QuotaController {
  QuotaMechanism mechanism();

  /**
   * A fresh quota for one task.
   *
   * @throws QuotaException if the kernel objects cannot be created
   */
  TaskQuota create(String taskId, ResourceLimits limits);

  /** The controller for what the probe found ({@link IsolationReport#quotas()}). */
  static QuotaController forReport(IsolationReport report) {
    return switch (report.quotas()) {
      case CGROUP_V2 -> CgroupV2Controller.locate(Cgroups.SYSTEM, new java.util.ArrayList<>())
          .map(QuotaController.class::cast)
          .orElseThrow(() -> new QuotaException("cgroup v2 was found by the probe but is gone", null));
      case CGROUP_V1 -> CgroupV1Controller.locate(Cgroups.SYSTEM, new java.util.ArrayList<>())
          .map(QuotaController.class::cast)
          .orElseThrow(() -> new QuotaException("cgroup v1 was found by the probe but is gone", null));
      case PRLIMIT -> new PrlimitController(report.tool(Primitive.PRLIMIT).orElseThrow());
      case NONE -> none();
    };
  }

  /** No quotas beyond the wall time. */
  static QuotaController none() {
    return new QuotaController() {
      @Override
      public QuotaMechanism mechanism() {
        return QuotaMechanism.NONE;
      }

      @Override
      public TaskQuota create(String taskId, ResourceLimits limits) {
        return TaskQuota.NONE;
      }
    };
  }
}
