package io.cortexhub.node.tunnel;

import io.grpc.Status;

/** Renders a gRPC {@link Status} as one log line that names the root cause (TLS, refusal, ...). */
final class StatusText {
  private StatusText() {}

  /** A status as one line: code, description and the messages of its causes. */
  static String describe(Status status) {
    StringBuilder b = new StringBuilder(status.getCode().toString());
    if (status.getDescription() != null) {
      b.append(": ").append(status.getDescription());
    }
    for (Throwable c = status.getCause(); c != null; c = c.getCause()) {
      String m = c.getMessage();
      if (m != null && b.indexOf(m) < 0) {
        b.append(" (").append(m).append(')');
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return b.toString();
  }

}
