package io.cortexhub.hub.dispatch;

/**
 * Lifecycle of a task.
 *
 * <p>QUEUED (persisted, waiting for an eligible node) → DISPATCHED (sent to a node under a lease) →
 * [AWAITING_CONSENT (the node's owner must approve it first)] → RUNNING (the node started it) →
 * one final state. A task whose node disappears is LOST once its lease ends; it never stays
 * RUNNING forever. QUOTA_EXCEEDED: the node's sandbox stopped it for using more memory, processes
 * or CPU than its quota allows.
 */
public enum TaskState {
  QUEUED,
  DISPATCHED,
  AWAITING_CONSENT,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED,
  TIMED_OUT,
  QUOTA_EXCEEDED,
  LOST;

  public boolean isFinal() {
    return ordinal() >= SUCCEEDED.ordinal();
  }
}
