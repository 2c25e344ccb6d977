package io.cortexhub.hub.session;

/** A session token is not acceptable; the message says why (gRPC UNAUTHENTICATED). */
public class SessionTokenException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SessionTokenException(String message) {
    super(message);
  }

  public SessionTokenException(String message, Throwable cause) {
    super(message, cause);
  }
}
