package io.cortexhub.hub.dispatch;

import jakarta.ejb.ApplicationException;

/** No task has this id. */
@ApplicationException(rollback = true)
public class UnknownTaskException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnknownTaskException(TaskId id) {
    super("unknown task: " + id);
  }
}
