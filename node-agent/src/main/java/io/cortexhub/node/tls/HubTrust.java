package io.cortexhub.node.tls;

import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.nio.file.Path;

/**
 * The node's rule for trusting the hub's TLS certificate.
 *
 * <p>Two forms, matching {@code --ca-file} and {@code --ca-fingerprint}. Implementations are
 * immutable and thread-safe; {@link #clientContext()} may be shared by many channels.
 */
public sealed interface HubTrust permits CaFileTrust, CaFingerprintTrust {
  /** A client TLS context (ALPN h2, as gRPC needs) enforcing this rule. */
  SslContext clientContext();

  /** For logs: "ca-file /x/ca.pem" or "ca-fingerprint sha256:...". */
  String describe();

  /** Trust the CA certificate(s) in a PEM file. */
  static HubTrust caFile(Path pem) {
    return CaFileTrust.load(pem);
  }

  /** Trust a chain containing a certificate whose DER has this SHA-256 ({@code sha256:HEX}). */
  static HubTrust caFingerprint(String text) {
    return CaFingerprintTrust.parse(text);
  }
}
