package io.cortexhub.node.identity;

import io.grpc.Status;
import java.util.Objects;

/**
 * Enrollment failed; the message tells the operator what to do (a new token, another fingerprint,
 * a reachable hub), and {@link #status()} is the hub's (or the transport's) gRPC status.
 */
public final class EnrollmentException extends RuntimeException {
  private final Status.Code status;

  public EnrollmentException(Status.Code status, String message, Throwable cause) {
    super(message, cause);
    this.status = Objects.requireNonNull(status, "status");
  }

  public Status.Code status() {
    return status;
  }
}
