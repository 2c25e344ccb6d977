package io.cortexhub.hub.auth;

import jakarta.ejb.ApplicationException;
/** The hub is configured to trust an external token issuer ({@code cortex.auth.mode=external}) and issues no user tokens itself. */
@ApplicationException
public class TokenIssuingDisabledException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TokenIssuingDisabledException(String message) {
    super(message);
  }
}
