package io.cortexhub.node.sandbox;

/** How per-task resource quotas are enforced on this machine, best first. */
public enum QuotaMechanism {
  /** A cgroup v2 per task: memory, pids, cpu; OOM kills counted; {@code cgroup.kill}. */
  CGROUP_V2("cgroup2"),
  /** A cgroup per task in each v1 hierarchy (memory, pids, cpu, freezer). */
  CGROUP_V1("cgroup1"),
  /** rlimits only: address space and processes (per user, shared by tasks of one user), no kill-all. */
  PRLIMIT("prlimit"),
  /** Only the wall-time limit. */
  NONE("none");

  private final String wireName;

  QuotaMechanism(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
