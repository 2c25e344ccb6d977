package io.cortexhub.hub.enrollment;

import java.util.Objects;

/**
 * A join token cannot be used for enrollment. The reason is logged with the token id (never the
 * secret); the enrolling node gets a deliberately terse UNAUTHENTICATED message.
 */
public class JoinTokenRefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a token was refused. */
  public enum Reason { MALFORMED, UNKNOWN, EXPIRED, USED, REVOKED }

  private final Reason reason;

  public JoinTokenRefusedException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }
}
