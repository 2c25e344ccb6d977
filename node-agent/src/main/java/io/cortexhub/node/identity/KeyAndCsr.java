package io.cortexhub.node.identity;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * A fresh EC P-256 key pair made on this node and a PKCS#10 request for it — a new pair for every
 * enrollment and every renewal. The private key never leaves the node.
 *
 * <p>Only the request's public key matters: the hub ignores subject and extensions and chooses the
 * identity itself, so the subject is just the display name, as a hint for logs. EC P-256 because
 * the TLS stack (BoringSSL in grpc-netty-shaded) fails handshakes with Ed25519 certificates.
 * Immutable.
 */
public record KeyAndCsr(KeyPair keys, byte[] csrDer) {
  public KeyAndCsr {
    Objects.requireNonNull(keys, "keys");
    csrDer = csrDer.clone();
  }

  @Override
  public byte[] csrDer() {
    return csrDer.clone();
  }

  /** Generates a key pair and signs a request for it (SHA256withECDSA). */
  public static KeyAndCsr generate(String displayName, SecureRandom random) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), random);
      KeyPair keys = g.generateKeyPair();
      var subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, displayName).build();
      byte[] der =
          new JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic())
              .build(new JcaContentSignerBuilder("SHA256withECDSA").setSecureRandom(random).build(keys.getPrivate()))
              .getEncoded();
      return new KeyAndCsr(keys, der);
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot make an EC P-256 key pair and CSR: " + e.getMessage(), e);
    }
  }
}
