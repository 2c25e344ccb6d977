package io.cortexhub.node.sandbox;

/**
 * What a task's quota counters said when it ended.
 *
 * @param oomKills processes the kernel's OOM killer ended because the task hit its memory limit
 *     ({@code oom_kill} in {@code memory.oom_control} (v1) or {@code memory.events} (v2))
 * @param memoryLimitHits times the task's memory use reached its limit ({@code memory.failcnt} (v1),
 *     {@code max} in {@code memory.events} (v2)); the kernel reclaims first, so a hit alone is not
 *     a kill
 * @param processLimitHits forks refused because the task hit its process limit
 */
public record QuotaUsage(long oomKills, long memoryLimitHits, long processLimitHits) {
  public static final QuotaUsage NONE = new QuotaUsage(0, 0, 0);

  /**
   * Whether the task was stopped by its memory limit: an OOM kill was counted, or (kernels without
   * that counter) the limit was hit and the process died of SIGKILL.
   *
   * @param killedBySigkill whether the task's first process ended by SIGKILL (exit status 137)
   */
  public boolean memoryExceeded(boolean killedBySigkill) {
    return oomKills > 0 || (memoryLimitHits > 0 && killedBySigkill);
  }

  public boolean processLimitReached() {
    return processLimitHits > 0;
  }
}
