package io.cortexhub.hub.pki;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the hub's CA stands.
 *
 * @param activeFingerprint the CA that issues new node certificates ({@code sha256:...})
 * @param trustedFingerprints every CA whose node certificates the hub accepts (two during a
 *     rotation: the new one first)
 * @param rotationStartedAt ISO-8601 instant the current rotation started, empty when none runs
 */
public record CaStatus(String activeFingerprint, List<String> trustedFingerprints,
    Optional<String> rotationStartedAt) {
  public CaStatus {
    Objects.requireNonNull(activeFingerprint, "activeFingerprint");
    trustedFingerprints = List.copyOf(trustedFingerprints);
    Objects.requireNonNull(rotationStartedAt, "rotationStartedAt");
  }

  public boolean rotating() {
    return rotationStartedAt.isPresent();
  }
}
