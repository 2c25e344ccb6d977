package io.cortexhub.node.audit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * Reads the public key that verifies a node's checkpoints from PEM: either a {@code PUBLIC KEY}
 * block (SubjectPublicKeyInfo; EC, RSA or Ed25519) or the node's {@code CERTIFICATE}.
 */
public final class PublicKeyPem {
  private PublicKeyPem() {}

  /**
   * @throws IllegalArgumentException if the file holds neither block, or the key is not readable
   * @throws UncheckedIOException if the file cannot be read
   */
  public static PublicKey read(Path pem) {
    try {
      return parse(Files.readString(pem, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + pem + ": " + e.getMessage(), e);
    }
  }

  public static PublicKey parse(String pem) {
    if (pem.contains("-----BEGIN CERTIFICATE-----")) {
      try {
        return CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
            .getPublicKey();
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException("not a readable X.509 certificate: " + e.getMessage(), e);
      }
    }
    String begin = "-----BEGIN PUBLIC KEY-----";
    String end = "-----END PUBLIC KEY-----";
    int b = pem.indexOf(begin);
    int e = pem.indexOf(end);
    if (b < 0 || e < b) {
      throw new IllegalArgumentException("expected a PEM 'PUBLIC KEY' or 'CERTIFICATE' block");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(pem.substring(b + begin.length(), e));
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException("the PUBLIC KEY block is not base64", ex);
    }
    for (String alg : List.of("EC", "RSA", "Ed25519")) {
      try {
        return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(der));
      } catch (GeneralSecurityException ignored) {
        // not this algorithm: try the next
      }
    }
    throw new IllegalArgumentException("the PUBLIC KEY block is not an EC, RSA or Ed25519 key");
  }
}
