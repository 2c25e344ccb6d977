package io.cortexhub.hub.enrollment;

import jakarta.ejb.ApplicationException;

/** A request named a join token that does not exist. */
@ApplicationException(rollback = true)
public class UnknownJoinTokenException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnknownJoinTokenException(String tokenId) {
    super("unknown join token: " + tokenId);
  }
}
