package io.cortexhub.node.consent;

/** The approvals socket cannot be set up or reached; the message names the path and the cause. */
public final class ConsentSocketException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConsentSocketException(String message) {
    super(message);
  }

  public ConsentSocketException(String message, Throwable cause) {
    super(message, cause);
  }
}
