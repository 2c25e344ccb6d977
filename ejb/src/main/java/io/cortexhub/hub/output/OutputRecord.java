package io.cortexhub.hub.output;

import io.cortexhub.hub.dispatch.TaskId;
import java.time.Instant;
import java.util.Objects;

/**
 * One stored chunk of a task's output. Sequence numbers start at 1 and have no gaps once the task's
 * output is complete.
 */
public record OutputRecord(
    TaskId task, long seq, OutputStreamKind stream, byte[] data, Instant producedAt) {

  public OutputRecord {
    Objects.requireNonNull(task, "task");
    if (seq < 1) {
      throw new IllegalArgumentException("seq starts at 1, got " + seq);
    }
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(producedAt, "producedAt");
  }
}
