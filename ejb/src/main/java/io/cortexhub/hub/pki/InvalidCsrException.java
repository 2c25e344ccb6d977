package io.cortexhub.hub.pki;

/** A certification request cannot be used; the message says why (gRPC INVALID_ARGUMENT). */
public class InvalidCsrException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidCsrException(String message) {
    super(message);
  }

  public InvalidCsrException(String message, Throwable cause) {
    super(message, cause);
  }
}
