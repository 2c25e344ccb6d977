package io.cortexhub.hub.dispatch;

import jakarta.ejb.ApplicationException;

/** A submitted task is malformed; the message names the field and what is wrong with it. */
@ApplicationException(rollback = true)
public class InvalidTaskRequestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidTaskRequestException(String message) {
    super(message);
  }
}
