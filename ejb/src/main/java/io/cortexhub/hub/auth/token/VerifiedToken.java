package io.cortexhub.hub.auth.token;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * What a verified user token says about its holder.
 *
 * @param subject the user ({@code upn}, else {@code preferred_username}, else {@code sub})
 * @param groups role names from {@code groups}
 * @param workspaces names from {@code workspaces} ({@code "*"} = all; empty when absent)
 * @param expiresAt {@code exp}
 * @param tokenId {@code jti}
 */
public record VerifiedToken(
    String subject, Set<String> groups, Set<String> workspaces, Instant expiresAt,
    String tokenId) {

  public VerifiedToken {
    Objects.requireNonNull(subject, "subject");
    groups = Set.copyOf(groups);
    workspaces = Set.copyOf(workspaces);
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(tokenId, "tokenId");
  }
}
