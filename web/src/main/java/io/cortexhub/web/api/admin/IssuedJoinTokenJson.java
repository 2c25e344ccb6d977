package io.cortexhub.web.api.admin;

import io.cortexhub.hub.enrollment.IssuedJoinToken;

/**
 * Answer of {@code POST /join-tokens}: the secret is shown this once.
 *
 * @param tokenId public id, for listing and revoking
 * @param token the secret to give {@code cortex-node enroll --token}
 * @param expiresAt ISO-8601 instant
 * @param workspace the workspace enrolled nodes join
 */
public record IssuedJoinTokenJson(String tokenId, String token, String expiresAt, String workspace) {

  public static IssuedJoinTokenJson of(IssuedJoinToken t) {
    return new IssuedJoinTokenJson(t.tokenId(), t.token(), t.expiresAt().toString(),
        t.workspace().value());
  }

  @Override
  public String toString() {
    return "IssuedJoinTokenJson[" + tokenId + ", " + workspace + "]";
  }
}
