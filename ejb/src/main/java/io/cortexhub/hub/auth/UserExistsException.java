package io.cortexhub.hub.auth;

import jakarta.ejb.ApplicationException;
/** A user with this name already exists. */
@ApplicationException
public class UserExistsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UserExistsException(String message) {
    super(message);
  }
}
