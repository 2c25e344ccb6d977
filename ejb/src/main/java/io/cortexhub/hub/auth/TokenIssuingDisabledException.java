package io.cortexhub.hub.auth;

/** The hub is configured to trust an external token issuer ({@code cortex.auth.mode=external}) and issues no user tokens itself. */
public class TokenIssuingDisabledException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TokenIssuingDisabledException(String message) {
    super(message);
  }
}
