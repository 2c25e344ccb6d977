package io.cortexhub.hub.auth;

/** The user name or password is wrong. The message never says which, so it cannot be used to find user names. */
public class BadCredentialsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BadCredentialsException(String message) {
    super(message);
  }
}
