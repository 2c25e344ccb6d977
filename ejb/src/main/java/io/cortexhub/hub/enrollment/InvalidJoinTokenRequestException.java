package io.cortexhub.hub.enrollment;

import jakarta.ejb.ApplicationException;

/** A join token request has a field out of range; the message names the field. */
@ApplicationException(rollback = true)
public class InvalidJoinTokenRequestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidJoinTokenRequestException(String message) {
    super(message);
  }
}
