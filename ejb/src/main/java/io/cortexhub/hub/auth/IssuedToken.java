package io.cortexhub.hub.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A user token the hub has just signed: the compact JWT and when it expires.
 *
 * <p>{@link #toString()} hides the token, so the record can be logged.
 *
 * @param token the compact serialization ({@code header.payload.signature})
 * @param expiresAt the token's {@code exp}
 * @param lifetime from issue to expiry, for the {@code expires_in} answer
 */
public record IssuedToken(String token, Instant expiresAt, Duration lifetime) {

  public IssuedToken {
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(lifetime, "lifetime");
  }

  @Override
  public String toString() {
    return "IssuedToken[expiresAt=" + expiresAt + "]";
  }
}
