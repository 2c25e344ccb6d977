package io.cortexhub.hub.auth;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * The hub's rules for bearer tokens beyond what Payara's MP-JWT checks, for the REST layer.
 *
 * <p>Payara verifies signature, issuer, audience and expiry; it ignores {@code nbf} and a future
 * {@code iat}, and when it refuses a token it gives no reason. Implementations are thread-safe.
 */
public interface BearerTokens {

  /**
   * Checks the times of a token Payara has accepted (seconds since the epoch).
   *
   * @throws TokenRefusedException with NOT_YET_VALID, ISSUED_IN_THE_FUTURE, EXPIRED or
   *     MISSING_CLAIM
   */
  void checkTimes(OptionalLong exp, OptionalLong nbf, OptionalLong iat);

  /**
   * Why this token is refused, by the hub's own full verification (without the signature check
   * when an external issuer is trusted); empty if it finds nothing wrong.
   */
  Optional<TokenRefusedException> explainRefusal(String token);

  /** The public key of hub-issued tokens as a JWK set; empty in external mode. */
  Optional<String> publicJwks();
}
