package io.cortexhub.node.verify;

/**
 * A task's signature or key id did not verify; the message is the detail the hub records with
 * {@code REJECT_REASON_BAD_SIGNATURE}.
 */
public final class BadTaskSignatureException extends RuntimeException {
  public BadTaskSignatureException(String message) {
    super(message);
  }
}
