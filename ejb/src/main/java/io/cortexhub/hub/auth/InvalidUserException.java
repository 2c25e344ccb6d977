package io.cortexhub.hub.auth;

import jakarta.ejb.ApplicationException;
/** A user request breaks a rule; the message names the field and the rule. */
@ApplicationException
public class InvalidUserException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidUserException(String message) {
    super(message);
  }
}
