package io.cortexhub.hub.pki;

import jakarta.ejb.ApplicationException;

/** A CA rotation step is not possible now; the message says why (REST: 409 Conflict). */
@ApplicationException(rollback = true)
public class CaRotationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CaRotationException(String message) {
    super(message);
  }
}
