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

  void finished(TaskResult result);
}
