package io.cortexhub.hub.auth;

import jakarta.ejb.ApplicationException;
/** The user name or password is wrong. The message never says which, so it cannot be used to find user names. */
@ApplicationException
public class BadCredentialsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BadCredentialsException(String message) {
    super(message);
  }
}
