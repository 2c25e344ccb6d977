package io.cortexhub.hub.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * A CA certificate with its private key. The key is never logged or exposed outside the PKI.
 *
 * @param alias the CA's entry in the hub keystore
 */
public record IssuingCa(String alias, X509Certificate certificate, PrivateKey key) {
  public IssuingCa {
    Objects.requireNonNull(alias, "alias");
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(key, "key");
  }

  public String fingerprint() {
    return Pem.fingerprint(certificate);
  }

  @Override
  public String toString() {
    return "IssuingCa[" + alias + ", " + fingerprint() + "]";
  }
}
