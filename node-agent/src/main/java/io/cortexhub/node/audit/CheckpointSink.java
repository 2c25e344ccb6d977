package io.cortexhub.node.audit;

/**
 * Receives every checkpoint the log writes, after it is durable on disk, in the order written; the
 * agent forwards each to the hub as an {@code AuditCheckpoint} frame.
 *
 * <p>Called on the thread that caused the checkpoint (an {@link AuditLog#append}, {@link
 * AuditLog#checkpoint()} or {@link AuditLog#close()}), outside the log's lock, one call at a time.
 * It must not block for long; a hub that is not connected is the sink's business (drop and resend
 * {@link AuditLog#latestCheckpoint()} on reconnect). An exception it throws is logged and ignored:
 * the checkpoint stays in the log either way.
 */
@FunctionalInterface
public interface CheckpointSink {
  void checkpoint(Checkpoint c);

  /** A sink that drops checkpoints (tests, offline tools). */
  static CheckpointSink none() {
    return c -> {};
  }
}
