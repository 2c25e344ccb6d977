package io.cortexhub.hub.tls;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the tunnel's TLS files are, and the CA fingerprint nodes pin.
 *
 * @param certChain PEM server certificate (followed by its CA)
 * @param privateKey PEM PKCS#8 private key of the server certificate
 * @param ca PEM CA certificate, when known (trusts client certificates later)
 * @param caFingerprint {@code sha256:} and 64 hex digits of the CA certificate's DER
 */
public record TlsMaterial(Path certChain, Path privateKey, Optional<Path> ca, String caFingerprint) {
  public TlsMaterial {
    Objects.requireNonNull(certChain, "certChain");
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(ca, "ca");
    Objects.requireNonNull(caFingerprint, "caFingerprint");
  }
}
