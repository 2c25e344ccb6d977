package io.cortexhub.e2e.support;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * The X.509 chores of the tests, done with the JDK and BouncyCastle the way a node (or an attacker) would:
 * EC P-256 keys, PKCS#10 requests, PEM, fingerprints in the hub's {@code sha256:<hex>} form, and a test CA
 * that issues certificates shaped like the hub's node certificates (CN and SAN URIs naming node and
 * workspace, EKU clientAuth) with any validity. Stateless; thread-safe.
 */
public final class Pki {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern CERTIFICATE_BLOCK =
      Pattern.compile("-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\\s]+-----END CERTIFICATE-----");

  private Pki() {}

  /** A CA key and certificate, the hub's (read from its data dir) or one made by {@link #newCa}. */
  public record Ca(X509Certificate certificate, PrivateKey key) {}

  public static KeyPair newEcKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A PKCS#10 request (DER) for {@code keys}, with a subject the hub ignores. */
  public static byte[] csr(KeyPair keys, String subject) {
    try {
      return new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=" + subject), keys.getPublic())
          .build(signer(keys.getPrivate()))
          .getEncoded();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A self-signed CA with this distinguished name (e.g. the hub CA's own name, to test same-name impostors). */
  public static Ca newCa(X500Principal name) {
    KeyPair keys = newEcKeyPair();
    Instant now = Instant.now();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            name, serial(), Date.from(now.minusSeconds(60)), Date.from(now.plusSeconds(86_400)), name, keys.getPublic());
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      return new Ca(certificate(builder, keys.getPrivate()), keys.getPrivate());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A certificate for {@code key} naming node {@code nodeId} in {@code workspace}, as the hub issues them. */
  public static X509Certificate nodeCertificate(
      Ca ca, PublicKey key, String nodeId, String workspace, Instant notBefore, Instant notAfter) {
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            ca.certificate(), serial(), Date.from(notBefore), Date.from(notAfter),
            new X500Principal("CN=" + nodeId), key);
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(GeneralName.uniformResourceIdentifier, "urn:cortex:node:" + nodeId),
                new GeneralName(GeneralName.uniformResourceIdentifier, "urn:cortex:workspace:" + workspace)
              }));
      return certificate(builder, ca.key());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every certificate in a PEM file. */
  public static List<X509Certificate> readCertificates(Path pem) {
    try {
      return parseCertificates(Files.readString(pem, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + pem, e);
    }
  }

  /** Every certificate in PEM text; other blocks (keys, comments) are skipped. */
  public static List<X509Certificate> parseCertificates(String pem) {
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      List<X509Certificate> out = new ArrayList<>();
      Matcher block = CERTIFICATE_BLOCK.matcher(pem);
      while (block.find()) {
        out.add((X509Certificate) factory.generateCertificate(
            new ByteArrayInputStream(block.group().getBytes(StandardCharsets.US_ASCII))));
      }
      if (out.isEmpty()) {
        throw new IllegalArgumentException("no certificate in the PEM text");
      }
      return out;
    } catch (CertificateException e) {
      throw new IllegalArgumentException("not PEM certificates", e);
    }
  }

  /** {@code sha256:} and the lower-case hex SHA-256 of the certificate's DER, as the hub prints fingerprints. */
  public static String fingerprint(X509Certificate certificate) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** PEM text of certificates. */
  public static String pem(List<X509Certificate> certificates) {
    StringBuilder out = new StringBuilder();
    Base64.Encoder base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
    for (X509Certificate certificate : certificates) {
      try {
        out.append("-----BEGIN CERTIFICATE-----\n")
            .append(base64.encodeToString(certificate.getEncoded()))
            .append("\n-----END CERTIFICATE-----\n");
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
    return out.toString();
  }

  private static X509Certificate certificate(X509v3CertificateBuilder builder, PrivateKey signingKey) {
    try {
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer(signingKey)));
    } catch (CertificateException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ContentSigner signer(PrivateKey key) {
    try {
      return new JcaContentSignerBuilder("SHA256withECDSA").build(key);
    } catch (OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static BigInteger serial() {
    return new BigInteger(64, RANDOM).abs().add(BigInteger.ONE);
  }
}
