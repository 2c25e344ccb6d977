package io.cortexhub.node.audit;

/** Text given to {@link CanonicalJson#parse} is not JSON of the accepted kind; the message says where. */
public final class MalformedJsonException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public MalformedJsonException(String message) {
    super(message);
  }
}
