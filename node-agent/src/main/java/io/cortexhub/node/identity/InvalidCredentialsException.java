package io.cortexhub.node.identity;

/**
 * A credential bundle (from the hub or from the state directory) is unusable: the message says
 * why, in words an operator can act on.
 */
public final class InvalidCredentialsException extends RuntimeException {
  public InvalidCredentialsException(String message) {
    super(message);
  }

  public InvalidCredentialsException(String message, Throwable cause) {
    super(message, cause);
  }
}
