package io.cortexhub.node.sandbox;

/**
 * What a task's quota counters said when it ended.
 *
 * @param oomKills processes the kernel's OOM killer ended because the task hit its memory limit
 * @param processLimitHits forks refused because the task hit its process limit
 */
public record QuotaUsage(long oomKills, long processLimitHits) {
  public static final QuotaUsage NONE = new QuotaUsage(0, 0);

  public boolean memoryExceeded() {
    return oomKills > 0;
  }

  public boolean processLimitReached() {
    return processLimitHits > 0;
  }
}
