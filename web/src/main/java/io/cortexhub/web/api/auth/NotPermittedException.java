package io.cortexhub.web.api.auth;

/**
 * The caller's token does not allow this in the workspace concerned (or a global operation needs
 * an admin of every workspace). Becomes a 403 forbidden problem with this message.
 */
public class NotPermittedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NotPermittedException(String message) {
    super(message);
  }
}
