package io.cortexhub.hub.session;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A session token as handed to a node.
 *
 * @param token the compact JWT
 * @param issuedAt when it was minted
 * @param expiresAt when it stops being accepted
 * @param capabilities the capabilities it grants
 */
public record SessionGrant(String token, Instant issuedAt, Instant expiresAt,
    List<String> capabilities) {
  public SessionGrant {
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    capabilities = List.copyOf(capabilities);
  }

  /** When a fresh token should be sent: at two thirds of this one's lifetime. */
  public Instant refreshAt() {
    return issuedAt.plus(java.time.Duration.between(issuedAt, expiresAt).multipliedBy(2)
        .dividedBy(3));
  }

  @Override
  public String toString() {
    return "SessionGrant[expires " + expiresAt + ", " + capabilities + "]";
  }
}
