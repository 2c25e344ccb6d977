package io.cortexhub.hub.auth;

/** A user with this name already exists. */
public class UserExistsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UserExistsException(String message) {
    super(message);
  }
}
