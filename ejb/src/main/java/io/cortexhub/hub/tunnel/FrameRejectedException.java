package io.cortexhub.hub.tunnel;

import io.grpc.Status;

/** A node's frame breaks the protocol; the stream ends with {@link #status()}. */
final class FrameRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient Status status;

  FrameRejectedException(Status status) {
    super(status.getDescription());
    this.status = status;
  }

  static FrameRejectedException invalid(String message) {
    return new FrameRejectedException(Status.INVALID_ARGUMENT.withDescription(message));
  }

  static FrameRejectedException precondition(String message) {
    return new FrameRejectedException(Status.FAILED_PRECONDITION.withDescription(message));
  }

  Status status() {
    return status;
  }
}
