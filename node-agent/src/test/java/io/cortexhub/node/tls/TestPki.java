package io.cortexhub.node.tls;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throwaway EC P-256 CA and a server certificate for localhost / 127.0.0.1, as the hub makes. */
final class TestPki {
  final KeyPair caKeys;
  final X509Certificate ca;
  final KeyPair serverKeys;
  final X509Certificate server;

  private TestPki(KeyPair caKeys, X509Certificate ca, KeyPair serverKeys, X509Certificate server) {
    this.caKeys = caKeys;
    this.ca = ca;
    this.serverKeys = serverKeys;
    this.server = server;
  }

  static TestPki create(String caName) throws Exception {
    KeyPair caKeys = ecKeys();
    X500Name caSubject = new X500Name("CN=" + caName);
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder caBuilder =
        new JcaX509v3CertificateBuilder(
            caSubject, BigInteger.valueOf(1), Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(Duration.ofDays(1))), caSubject, caKeys.getPublic());
    caBuilder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
    caBuilder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    X509Certificate ca = sign(caBuilder, caKeys);

    KeyPair serverKeys = ecKeys();
    JcaX509v3CertificateBuilder sb =
        new JcaX509v3CertificateBuilder(
            caSubject, BigInteger.valueOf(2), Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(Duration.ofDays(1))), new X500Name("CN=localhost"), serverKeys.getPublic());
    sb.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    sb.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    sb.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(
            new GeneralName[] {
              new GeneralName(GeneralName.dNSName, "localhost"),
              new GeneralName(GeneralName.iPAddress, "127.0.0.1")
            }));
    X509Certificate server = sign(sb, caKeys);
    return new TestPki(caKeys, ca, serverKeys, server);
  }

  Path writeCaPem(Path dir) throws Exception {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
      pem.writeObject(ca);
    }
    return Files.writeString(dir.resolve("ca.pem"), w.toString());
  }

  private static X509Certificate sign(JcaX509v3CertificateBuilder b, KeyPair issuer) throws Exception {
    return new JcaX509CertificateConverter()
        .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate())));
  }

  private static KeyPair ecKeys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }
}
