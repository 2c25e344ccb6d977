package io.cortexhub.hub.auth;

import jakarta.ejb.ApplicationException;
import java.time.Duration;
import java.util.Objects;

/**
 * Too many recent failed logins for this user name or from this address: the attempt was refused
 * without checking the password. {@link #retryAfter()} says when trying again makes sense.
 */
@ApplicationException
public class LoginThrottledException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Duration retryAfter;

  public LoginThrottledException(String message, Duration retryAfter) {
    super(message);
    this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
  }

  /** How long to wait before the next attempt is considered. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
