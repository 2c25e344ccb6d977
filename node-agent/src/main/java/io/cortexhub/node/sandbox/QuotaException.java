package io.cortexhub.node.sandbox;

/** A task's quota could not be set up (cgroup not writable, limit refused by the kernel). */
public final class QuotaException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public QuotaException(String message, Throwable cause) {
    super(message, cause);
  }
}
