package io.cortexhub.hub.enrollment;

/** A node may not renew (unknown or revoked); the message says why (PERMISSION_DENIED). */
public class NodeNotRenewableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NodeNotRenewableException(String message) {
    super(message);
  }
}
