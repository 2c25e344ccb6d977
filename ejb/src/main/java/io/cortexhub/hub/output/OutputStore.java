package io.cortexhub.hub.output;

import io.cortexhub.hub.connector.inbound.OutputChunkEvent;
import io.cortexhub.hub.dispatch.TaskId;
import java.sql.Connection;
import java.util.List;

/** Durable storage of task output. Thread-safe. */
public interface OutputStore {

  /** Inserts chunks (none of which is stored yet) in one JDBC batch on {@code c}. */
  void insert(Connection c, List<OutputChunkEvent> chunks);

  /** Stored chunks with seq greater than {@code afterSeq}, in seq order, at most {@code limit}. */
  List<OutputRecord> read(TaskId task, long afterSeq, int limit);

  /** Every stored seq of a task greater than {@code afterSeq}, ascending (for resume after boot). */
  List<Long> storedSeqs(TaskId task, long afterSeq);
}
