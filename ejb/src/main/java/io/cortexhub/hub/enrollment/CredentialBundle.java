package io.cortexhub.hub.enrollment;

import io.cortexhub.hub.registry.NodeIdentity;
import io.cortexhub.hub.signing.TaskSigningKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a node receives at enrollment and renewal ({@code NodeCredentialBundle} on the wire).
 *
 * @param identity node id and workspace the hub chose
 * @param certificateChainPem the node certificate, then the CA that issued it
 * @param trustedCasPem every CA the node must trust for the hub's server certificate
 * @param taskSigningKeys keys whose task signatures the node accepts
 * @param notBefore certificate validity start
 * @param notAfter certificate validity end
 * @param labels labels the join token assigned
 */
public record CredentialBundle(NodeIdentity identity, String certificateChainPem,
    String trustedCasPem, List<TaskSigningKey> taskSigningKeys, Instant notBefore,
    Instant notAfter, Map<String, String> labels) {
  public CredentialBundle {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(certificateChainPem, "certificateChainPem");
    Objects.requireNonNull(trustedCasPem, "trustedCasPem");
    taskSigningKeys = List.copyOf(taskSigningKeys);
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(notAfter, "notAfter");
    labels = Map.copyOf(labels);
  }
}
