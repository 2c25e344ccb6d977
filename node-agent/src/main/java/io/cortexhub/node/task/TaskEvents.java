package io.cortexhub.node.task;

import com.google.protobuf.ByteString;
import io.cortexhub.proto.node.v1.OutputStream;

/**
 * What a running task reports back, in this order: {@link #started} (at most once), any number of
 * {@link #output} calls, then {@link #finished} exactly once and after all output.
 *
 * <p>Implementations must be thread-safe: runners call from their own I/O threads.
 */
public interface TaskEvents {
  void started(long startedAtUnixMs, long pid);

  void output(OutputStream stream, ByteString data);

  /**
   * Blocks while the task's unacknowledged output has no room left (memory and the node's spool
   * budget both full), so a producer that calls it before each read holds the task back instead of
   * piling up output: the process then blocks on its own write. Called only from a producer's own
   * I/O thread, never from the thread that delivered the task.
   *
   * @throws InterruptedException if the calling thread is interrupted while waiting
   */
  default void awaitOutputRoom() throws InterruptedException {}

  void finished(TaskResult result);
}
