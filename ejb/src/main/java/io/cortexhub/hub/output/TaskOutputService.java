package io.cortexhub.hub.output;

import io.cortexhub.hub.dispatch.TaskId;
import java.util.List;

/**
 * Reading stored output and following new output.
 *
 * <p>Thread-safe. Output is written to the database in batches; readers see a chunk once its batch
 * is committed.
 */
public interface TaskOutputService {

  /**
   * Stored chunks with seq greater than {@code afterSeq}, in order, at most {@code limit}.
   *
   * @throws io.cortexhub.hub.dispatch.UnknownTaskException when no such task exists
   */
  List<OutputRecord> read(TaskId task, long afterSeq, int limit);

  /**
   * Replays every stored chunk after {@code afterSeq}, then delivers new chunks as they are stored,
   * then {@link OutputListener#onFinished} once the task is final and its output complete (at once,
   * after the replay, for a task that is already final).
   *
   * @throws io.cortexhub.hub.dispatch.UnknownTaskException when no such task exists
   */
  OutputSubscription subscribe(TaskId task, long afterSeq, OutputListener listener);
}
