package io.cortexhub.hub.audit;

/** The node's audit records cannot be fetched now (not connected, no answer, or its error). */
public final class AuditUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AuditUnavailableException(String message) {
    super(message);
  }
}
