package io.cortexhub.hub.dispatch;

/**
 * What the output side needs to hear from dispatch: a task was sent to a node (so its output has
 * a known empty start), and a task reached its final state (durably).
 */
public interface TaskProgressListener {
  void taskDispatched(TaskRecord task);

  void taskFinal(TaskRecord task);

  /** Highest contiguous output seq stored for the task (0 = none). */
  long storedThrough(TaskId task);
}
