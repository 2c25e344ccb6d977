package io.cortexhub.hub.pki;

import java.util.Objects;

/**
 * A client certificate does not admit its holder. The message is meant for the node's operator
 * (it says what to do); the tunnel maps {@link #reason()} to a gRPC status.
 */
public class PeerRefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why; every reason but {@link #REVOKED} is UNAUTHENTICATED, REVOKED is PERMISSION_DENIED. */
  public enum Reason {
    NO_CERTIFICATE, UNTRUSTED_ISSUER, EXPIRED, NOT_YET_VALID, NOT_A_NODE_CERTIFICATE,
    UNKNOWN_NODE, REVOKED
  }

  private final Reason reason;

  public PeerRefusedException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }
}
