package io.cortexhub.node.audit;

/**
 * When the audit log forces its appends to stable storage ({@code fdatasync}).
 *
 * <p>Every append is written to the file (the kernel) before {@link AuditLog#append} returns, so a
 * crash of the agent process alone never loses a record. The policy decides what survives a power
 * loss or kernel crash:
 *
 * <ul>
 *   <li>{@link #everyAppend()} (the default): {@code append} returns only once its record is on
 *       disk. Threads appending at the same time share one {@code fdatasync} (group commit), so
 *       the cost per record falls as concurrency rises.
 *   <li>{@link #batched(int) batched(n)}: one {@code fdatasync} every {@code n} records; up to
 *       {@code n - 1} of the newest records may be lost to a power cut (never a checkpointed one).
 * </ul>
 *
 * <p>Whatever the policy, a checkpoint is forced to disk before it is handed to the {@link
 * CheckpointSink}, so the hub never holds a checkpoint over records the node could lose; and
 * {@link AuditLog#close()} forces everything.
 *
 * @param recordsPerSync records written between two forces; 1 means every append
 */
public record FsyncPolicy(int recordsPerSync) {
  public FsyncPolicy {
    if (recordsPerSync < 1) {
      throw new IllegalArgumentException("recordsPerSync must be at least 1: " + recordsPerSync);
    }
  }

  public static FsyncPolicy everyAppend() {
    return new FsyncPolicy(1);
  }

  public static FsyncPolicy batched(int records) {
    return new FsyncPolicy(records);
  }
}
