package io.cortexhub.web.api.auth;

import io.cortexhub.hub.auth.IssuedToken;
import jakarta.json.bind.annotation.JsonbProperty;

/**
 * Answer of {@code POST /auth/token}, shaped like an OAuth 2.0 token response (RFC 6749 5.1).
 *
 * @param accessToken the JWT to send as {@code Authorization: Bearer ...}
 * @param tokenType always {@code Bearer}
 * @param expiresIn seconds until it expires
 */
public record TokenJson(
    @JsonbProperty("access_token") String accessToken,
    @JsonbProperty("token_type") String tokenType,
    @JsonbProperty("expires_in") long expiresIn) {

  public static TokenJson of(IssuedToken token) {
    return new TokenJson(token.token(), "Bearer", token.lifetime().toSeconds());
  }
}
