package io.cortexhub.hub.pki;

import io.cortexhub.hub.registry.NodeIdentity;
import java.time.Instant;
import java.util.Objects;

/**
 * A node whose client certificate the hub accepted.
 *
 * @param identity the node id and workspace from the certificate
 * @param serial the certificate's serial number (hex), for logs
 * @param notAfter when the certificate expires
 * @param issuerFingerprint the CA that issued it
 */
public record VerifiedPeer(NodeIdentity identity, String serial, Instant notAfter,
    String issuerFingerprint) {
  public VerifiedPeer {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(notAfter, "notAfter");
    Objects.requireNonNull(issuerFingerprint, "issuerFingerprint");
  }
}
