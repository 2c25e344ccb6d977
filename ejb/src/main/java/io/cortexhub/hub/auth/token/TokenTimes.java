package io.cortexhub.hub.auth.token;

import io.cortexhub.hub.auth.TokenRefusal;
import io.cortexhub.hub.auth.TokenRefusedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The time checks on a token's {@code exp}, {@code nbf} and {@code iat} (seconds since the epoch),
 * with a clock skew. Payara's MP-JWT checks only {@code exp}; the REST layer runs these on every
 * token Payara accepted, so a token that is not valid yet, or claims to be issued in the future,
 * is refused too. Immutable and thread-safe.
 */
public final class TokenTimes {

  private final Duration skew;
  private final Clock clock;

  public TokenTimes(Duration skew, Clock clock) {
    this.skew = Objects.requireNonNull(skew, "skew");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Checks the three times; {@code exp} and {@code iat} are required, {@code nbf} is optional.
   *
   * @throws TokenRefusedException with EXPIRED, NOT_YET_VALID, ISSUED_IN_THE_FUTURE or
   *     MISSING_CLAIM
   */
  public void check(OptionalLong exp, OptionalLong nbf, OptionalLong iat) {
    Instant now = clock.instant();
    if (exp.isEmpty()) {
      throw new TokenRefusedException(TokenRefusal.MISSING_CLAIM, "exp");
    }
    if (iat.isEmpty()) {
      throw new TokenRefusedException(TokenRefusal.MISSING_CLAIM, "iat");
    }
    Instant expires = Instant.ofEpochSecond(exp.getAsLong());
    if (!now.isBefore(expires.plus(skew))) {
      throw new TokenRefusedException(TokenRefusal.EXPIRED, "expired at " + expires);
    }
    if (nbf.isPresent()) {
      Instant notBefore = Instant.ofEpochSecond(nbf.getAsLong());
      if (now.plus(skew).isBefore(notBefore)) {
        throw new TokenRefusedException(TokenRefusal.NOT_YET_VALID, "valid from " + notBefore);
      }
    }
    Instant issued = Instant.ofEpochSecond(iat.getAsLong());
    if (now.plus(skew).isBefore(issued)) {
      throw new TokenRefusedException(TokenRefusal.ISSUED_IN_THE_FUTURE, "issued at " + issued);
    }
  }
}
