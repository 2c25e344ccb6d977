package io.cortexhub.hub.auth;

/** A user request breaks a rule; the message names the field and the rule. */
public class InvalidUserException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidUserException(String message) {
    super(message);
  }
}
