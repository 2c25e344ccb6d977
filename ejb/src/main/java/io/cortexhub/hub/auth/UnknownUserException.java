package io.cortexhub.hub.auth;

/** No local user has this name. */
public class UnknownUserException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnknownUserException(String message) {
    super(message);
  }
}
