package io.cortexhub.node.testing;

import io.cortexhub.proto.node.v1.NodeCredentialBundle;
import io.cortexhub.proto.node.v1.TaskSigningKey;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * A hub CA in tests (EC P-256, as the hub's): issues the hub's server certificate for localhost and
 * node certificates from CSRs, shaped as the security contract says (CN=nodeId, SAN URIs for node
 * and workspace, EKU clientAuth), and builds credential bundles.
 */
public final class TestCa {
  private static final AtomicLong SERIALS = new AtomicLong(100);

  public final String name;
  public final KeyPair keys;
  public final X509Certificate cert;

  private TestCa(String name, KeyPair keys, X509Certificate cert) {
    this.name = name;
    this.keys = keys;
    this.cert = cert;
  }

  public static TestCa create(String name) {
    try {
      KeyPair keys = ecKeys();
      X500Name subject = new X500Name("CN=" + name);
      Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      JcaX509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              subject, serial(), Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(365))),
              subject, keys.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      return new TestCa(name, keys, sign(b, keys));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A server key and certificate for localhost / 127.0.0.1 issued by this CA. */
  public Issued serverCert() {
    try {
      KeyPair k = ecKeys();
      Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      JcaX509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              new X500Name("CN=" + name), serial(), Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(Duration.ofDays(30))), new X500Name("CN=localhost"), k.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")
              }));
      return new Issued(k, sign(b, keys));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A key pair and the certificate this CA issued for it. */
  public record Issued(KeyPair keys, X509Certificate cert) {}

  /** The public key of a CSR whose self-signature verifies. */
  public static PublicKey csrKey(byte[] csrDer) {
    try {
      JcaPKCS10CertificationRequest csr = new JcaPKCS10CertificationRequest(new PKCS10CertificationRequest(csrDer));
      PublicKey key = new org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter().getPublicKey(csr.getSubjectPublicKeyInfo());
      if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
        throw new IllegalArgumentException("CSR self-signature does not verify");
      }
      return key;
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalArgumentException("not a PKCS#10 request: " + e.getMessage(), e);
    }
  }

  /** A node certificate as the hub issues it. */
  public X509Certificate issueNode(PublicKey key, String nodeId, String workspace, Instant notBefore, Instant notAfter) {
    try {
      JcaX509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              new X500Name("CN=" + name), serial(), Date.from(notBefore), Date.from(notAfter),
              new X500Name("CN=" + nodeId), key);
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(GeneralName.uniformResourceIdentifier, "urn:cortex:node:" + nodeId),
                new GeneralName(GeneralName.uniformResourceIdentifier, "urn:cortex:workspace:" + workspace)
              }));
      return sign(b, keys);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The bundle the hub would send with {@code nodeCert} (issued by this CA). */
  public NodeCredentialBundle bundle(
      X509Certificate nodeCert, String nodeId, String workspace, List<TestCa> trusted, List<TaskSigningKey> signingKeys) {
    return NodeCredentialBundle.newBuilder()
        .setNodeId(nodeId)
        .setWorkspace(workspace)
        .setCertificateChainPem(pem(nodeCert, cert))
        .setTrustedCasPem(pem(trusted.stream().map(c -> c.cert).toArray(X509Certificate[]::new)))
        .addAllTaskSigningKeys(signingKeys)
        .setNotBeforeUnixMs(nodeCert.getNotBefore().getTime())
        .setNotAfterUnixMs(nodeCert.getNotAfter().getTime())
        .putLabels("pool", "test")
        .build();
  }

  public static String pem(X509Certificate... certs) {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter p = new JcaPEMWriter(w)) {
      for (X509Certificate c : certs) {
        p.writeObject(c);
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return w.toString();
  }

  public String fingerprint() {
    return io.cortexhub.node.tls.CaFingerprintTrust.fingerprintOf(cert);
  }

  public static KeyPair ecKeys() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static BigInteger serial() {
    return BigInteger.valueOf(SERIALS.incrementAndGet());
  }

  private static X509Certificate sign(JcaX509v3CertificateBuilder b, KeyPair issuer) throws Exception {
    return new JcaX509CertificateConverter()
        .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate())));
  }
}
