package io.cortexhub.hub.pki;

import io.cortexhub.hub.registry.NodeIdentity;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Builds the hub's certificates with BouncyCastle: CA, tunnel server, node. Everything is EC
 * P-256 with ECDSA-SHA256, because netty's BoringSSL fails handshakes with Ed25519 certificates.
 * Stateless; thread-safe if the random source is.
 */
public final class Certificates {
  private static final Logger LOG = Logger.getLogger(Certificates.class.getName());
  /** Certificates start a little in the past so that a node whose clock lags accepts them. */
  static final Duration BACKDATE = Duration.ofMinutes(5);

  private Certificates() {}

  public static KeyPair ecKeyPair(SecureRandom random) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), random);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC P-256 unavailable", e);
    }
  }

  /** A self-signed CA that may sign end-entity certificates only (path length 0). */
  public static X509Certificate ca(KeyPair keys, String commonName, Instant now, Duration lifetime,
      SecureRandom random) {
    X500Name name = new X500Name("CN=" + commonName);
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(random),
          Date.from(now.minus(BACKDATE)), Date.from(now.plus(lifetime)), name, keys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true,
              new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false,
              ext.createSubjectKeyIdentifier(keys.getPublic()));
      return sign(b, keys.getPrivate());
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot create CA certificate", e);
    }
  }

  /** The tunnel's server certificate: SANs localhost, loopback, the host name and extras. */
  public static X509Certificate server(PublicKey key, IssuingCa ca, List<String> extraNames,
      Instant now, Duration lifetime, SecureRandom random) {
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.certificate(),
          serial(random), Date.from(now.minus(BACKDATE)), Date.from(now.plus(lifetime)),
          new X500Name("CN=cortex-hub"), key)
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false,
              new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
          .addExtension(Extension.authorityKeyIdentifier, false,
              ext.createAuthorityKeyIdentifier(ca.certificate()))
          .addExtension(Extension.subjectAlternativeName, false, serverNames(extraNames));
      return sign(b, ca.key());
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot create server certificate", e);
    }
  }

  /**
   * A node certificate for {@code identity}: subject {@code CN=<nodeId>}, SAN URIs {@code
   * urn:cortex:node:<id>} and {@code urn:cortex:workspace:<ws>}, EKU clientAuth only. Whatever the
   * node's CSR asked for plays no part.
   */
  public static X509Certificate node(PublicKey key, NodeIdentity identity, IssuingCa ca,
      Instant now, Duration lifetime, SecureRandom random) {
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      GeneralNames sans = new GeneralNames(new GeneralName[] {
          new GeneralName(GeneralName.uniformResourceIdentifier,
              NodeIdentities.NODE_URN + identity.id().value()),
          new GeneralName(GeneralName.uniformResourceIdentifier,
              NodeIdentities.WORKSPACE_URN + identity.workspace().value())});
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.certificate(),
          serial(random), Date.from(now.minus(BACKDATE)), Date.from(now.plus(lifetime)),
          new X500Name("CN=" + identity.id().value()), key)
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false,
              new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth))
          .addExtension(Extension.authorityKeyIdentifier, false,
              ext.createAuthorityKeyIdentifier(ca.certificate()))
          .addExtension(Extension.subjectKeyIdentifier, false,
              ext.createSubjectKeyIdentifier(key))
          .addExtension(Extension.subjectAlternativeName, false, sans);
      return sign(b, ca.key());
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot create node certificate", e);
    }
  }

  private static GeneralNames serverNames(List<String> extraNames) {
    Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
    try {
      names.add(InetAddress.getLocalHost().getHostName());
    } catch (IOException e) {
      LOG.fine("host name unknown; not in the certificate");
    }
    names.addAll(extraNames);
    List<GeneralName> out = new ArrayList<>();
    for (String n : names) {
      boolean ip = n.contains(":") || n.matches("\\d{1,3}(\\.\\d{1,3}){3}");
      out.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, n));
    }
    return new GeneralNames(out.toArray(GeneralName[]::new));
  }

  private static BigInteger serial(SecureRandom random) {
    return new BigInteger(127, random).add(BigInteger.ONE);
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey issuer)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter().getCertificate(
          b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot sign", e);
    }
  }
}
