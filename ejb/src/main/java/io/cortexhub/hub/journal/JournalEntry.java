package io.cortexhub.hub.journal;

import io.cortexhub.hub.connector.inbound.OutputChunkEvent;
import io.cortexhub.hub.dispatch.TaskRecord;
import io.cortexhub.hub.dispatch.TaskUpdate;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** Something to make durable: a new task, a task transition or an output chunk. */
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

  /**
   * A newly submitted task; {@code durable} completes after the commit, or exceptionally when
   * this row (duplicate key) or its batch failed.
   */
  record TaskInsert(TaskRecord task, CompletableFuture<Void> durable) implements JournalEntry {
    public TaskInsert {
      Objects.requireNonNull(task, "task");
      Objects.requireNonNull(durable, "durable");
    }
  }
}
