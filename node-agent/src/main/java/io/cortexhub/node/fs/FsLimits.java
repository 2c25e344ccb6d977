package io.cortexhub.node.fs;

/**
 * Size bounds for file operations, so one task cannot make the agent read, hold or send unbounded
 * amounts of data. Immutable.
 *
 * @param maxReadBytes most bytes one {@code read} returns; a longer range is refused, not cut short
 * @param maxWriteBytes most bytes one {@code write} or {@code append} carries; also the largest file a
 *     {@code patch} may read or produce (patches work in memory)
 * @param maxListEntries most entries one {@code list} returns; beyond it the answer says {@code
 *     "truncated": true}
 */
public record FsLimits(long maxReadBytes, long maxWriteBytes, int maxListEntries) {
  /** 16 MiB reads and writes, 10,000 list entries. */
  public static final FsLimits DEFAULTS = new FsLimits(16L << 20, 16L << 20, 10_000);

  public FsLimits {
    if (maxReadBytes <= 0 || maxWriteBytes <= 0 || maxListEntries <= 0) {
      throw new IllegalArgumentException(
          "limits must be positive: read " + maxReadBytes + ", write " + maxWriteBytes + ", list " + maxListEntries);
    }
  }
}
