package io.cortexhub.hub.dispatch;

import jakarta.ejb.ApplicationException;

/** The task is already in a final state, so it cannot be changed. */
@ApplicationException(rollback = true)
public class TaskAlreadyFinishedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TaskAlreadyFinishedException(TaskView task) {
    super("task " + task.id() + " already finished as " + task.state());
  }
}
