package io.cortexhub.node.audit;

/** The audit log cannot be opened, written or read (I/O failure, in use by another process, closed). */
public class AuditLogException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AuditLogException(String message) {
    super(message);
  }

  public AuditLogException(String message, Throwable cause) {
    super(message, cause);
  }
}
