package io.cortexhub.hub.output;

import io.cortexhub.hub.dispatch.TaskView;

/**
 * Receives a task's output as it is stored. Calls for one subscription are never concurrent and
 * arrive in seq order without gaps or duplicates. Implementations must not block: a listener that
 * falls behind is closed with {@link #onOverflow()} rather than stalling other subscribers.
 */
public interface OutputListener {

  void onChunk(OutputRecord chunk);

  /** The task reached a final state and every chunk up to its final seq has been delivered. */
  void onFinished(TaskView task);

  /** The subscriber fell too far behind; it may resubscribe from its last seen seq. */
  default void onOverflow() {}
}
