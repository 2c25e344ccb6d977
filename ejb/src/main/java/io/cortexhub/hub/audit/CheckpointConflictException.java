package io.cortexhub.hub.audit;

/**
 * A node sent a checkpoint for a tree size the hub already holds with a different root: its audit
 * log was rewritten. The stored checkpoint is kept; the new one is refused and logged.
 */
public final class CheckpointConflictException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CheckpointConflictException(String message) {
    super(message);
  }
}
