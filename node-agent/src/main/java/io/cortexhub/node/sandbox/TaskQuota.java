package io.cortexhub.node.sandbox;

import java.util.List;
import java.util.Set;

/**
 * The resource quota of one task: how its first process enters it, who is in it, how to kill them
 * all, and what the counters said. Thread-safe.
 */
public interface TaskQuota extends AutoCloseable {
  /**
   * The command with whatever must run first to put the process under the quota (join the cgroup,
   * set rlimits), then exec the command itself in the same process.
   */
  List<String> wrap(List<String> command);

  /** Every process currently under the quota (host pids); empty if the mechanism cannot tell. */
  Set<Long> pids();

  /** SIGKILLs every process under the quota until none is left (or a short deadline passes). */
  void killAll();

  /** The counters now; call before {@link #close()}. */
  QuotaUsage usage();

  /** Kills what is left and removes the quota's kernel objects. Idempotent. */
  @Override
  void close();

  /** No quota: the command runs as is. */
  TaskQuota NONE =
      new TaskQuota() {
        @Override
        public List<String> wrap(List<String> command) {
          return command;
        }

        @Override
        public Set<Long> pids() {
          return Set.of();
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
