package io.cortexhub.hub.journal;

import io.cortexhub.hub.connector.inbound.OutputChunkEvent;
import io.cortexhub.hub.dispatch.TaskUpdate;
import java.util.Objects;

/** Something to make durable: a task transition or an output chunk. */
public sealed interface JournalEntry {

  /** A task transition; {@code afterCommit} runs on the writer once it is durable. */
  record TaskChange(TaskUpdate update, Runnable afterCommit) implements JournalEntry {
    public TaskChange {
      Objects.requireNonNull(update, "update");
      afterCommit = afterCommit == null ? () -> { } : afterCommit;
    }
  }

  /** An output chunk not stored before (the caller has deduplicated it). */
  record OutputAppend(OutputChunkEvent chunk) implements JournalEntry {
    public OutputAppend {
      Objects.requireNonNull(chunk, "chunk");
    }
  }
}
