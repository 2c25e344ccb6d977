package io.cortexhub.hub.dispatch;

/**
 * Lifecycle of a task.
 *
 * <p>QUEUED (persisted, waiting for an eligible node) → DISPATCHED (sent to a node under a lease) →
 * RUNNING (the node started it) → one final state. A task whose node disappears is LOST once its
 * lease ends; it never stays RUNNING forever.
 */
public enum TaskState {
  QUEUED,
  DISPATCHED,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED,
  TIMED_OUT,
  LOST;

  public boolean isFinal() {
    return ordinal() >= SUCCEEDED.ordinal();
  }
}
