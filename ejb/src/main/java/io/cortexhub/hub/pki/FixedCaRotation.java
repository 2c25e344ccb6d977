package io.cortexhub.hub.pki;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link CaRotation} of a CA that cannot rotate (operator-managed PEM files): reports the CA and
 * refuses both rotation steps with a reason. Immutable.
 */
public final class FixedCaRotation implements CaRotation {
  private final String fingerprint;

  public FixedCaRotation(String fingerprint) {
    this.fingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
  }

  @Override
  public CaStatus status() {
    return new CaStatus(fingerprint, List.of(fingerprint), Optional.empty());
  }

  @Override
  public CaStatus startRotation(String by) {
    throw new CaRotationException("the CA is managed by the operator (cortex.tls.* files);"
        + " rotate it by replacing the files");
  }

  @Override
  public CaStatus finishRotation(String by) {
    throw new CaRotationException("no CA rotation is running");
  }
}
