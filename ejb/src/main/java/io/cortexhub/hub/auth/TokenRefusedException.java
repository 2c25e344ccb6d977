package io.cortexhub.hub.auth;

import jakarta.ejb.ApplicationException;
import java.util.Objects;

/** A bearer token failed a check; {@link #reason()} says which, the message adds detail. */
@ApplicationException
public class TokenRefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final TokenRefusal reason;

  public TokenRefusedException(TokenRefusal reason, String detail) {
    super(reason.description() + (detail == null || detail.isEmpty() ? "" : ": " + detail));
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public TokenRefusal reason() {
    return reason;
  }
}
