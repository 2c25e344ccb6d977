package io.cortexhub.hub.auth;

import jakarta.ejb.ApplicationException;
/** No local user has this name. */
@ApplicationException
public class UnknownUserException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnknownUserException(String message) {
    super(message);
  }
}
