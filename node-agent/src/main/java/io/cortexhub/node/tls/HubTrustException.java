package io.cortexhub.node.tls;

/** The configured trust material is unusable, or the hub's certificate did not satisfy it. */
public final class HubTrustException extends RuntimeException {
  public HubTrustException(String message) {
    super(message);
  }

  public HubTrustException(String message, Throwable cause) {
    super(message, cause);
  }
}
