package io.cortexhub.hub.tls;

import io.cortexhub.hub.config.HubSettings;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
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
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Creates or loads the tunnel's TLS material.
 *
 * <p>With operator files configured they are used as they are. Otherwise {@code <data>/tls/}
 * holds {@code ca.pem}, {@code ca-key.pem}, {@code server.pem}, {@code server-key.pem}: created
 * on first boot (EC P-256, keys mode 0600; server SANs localhost, 127.0.0.1, ::1, the host name and
 * {@code cortex.tls.extra-names}) and reused on later boots. EC rather than Ed25519 because netty's
 * BoringSSL fails the handshake with Ed25519 certificates. Stateless.
 */
public final class HubCertificates {
  private static final Logger LOG = Logger.getLogger(HubCertificates.class.getName());

  private HubCertificates() {}

  public static TlsMaterial loadOrCreate(HubSettings settings, Clock clock, SecureRandom random) {
    HubSettings.Tls tls = settings.tls();
    if (tls.certFile().isPresent()) {
      Path cert = tls.certFile().get();
      List<X509Certificate> chain = readCertificates(cert);
      X509Certificate anchor = tls.caFile().map(HubCertificates::readCertificates)
          .map(l -> l.get(0)).orElse(chain.get(chain.size() - 1));
      return new TlsMaterial(cert, tls.keyFile().orElseThrow(), tls.caFile(), fingerprint(anchor));
    }
    Path dir = settings.dataDir().resolve("tls");
    Path ca = dir.resolve("ca.pem");
    Path caKey = dir.resolve("ca-key.pem");
    Path server = dir.resolve("server.pem");
    Path serverKey = dir.resolve("server-key.pem");
    if (!(Files.exists(ca) && Files.exists(server) && Files.exists(serverKey))) {
      create(dir, ca, caKey, server, serverKey, settings.tls().extraNames(), clock, random);
    }
    return new TlsMaterial(server, serverKey, Optional.of(ca),
        fingerprint(readCertificates(ca).get(0)));
  }

  /** {@code sha256:} and the lower-case hex SHA-256 of the certificate's DER encoding. */
  public static String fingerprint(X509Certificate cert) {
    try {
      return "sha256:" + HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot fingerprint certificate", e);
    }
  }

  public static List<X509Certificate> readCertificates(Path pem) {
    try (var in = Files.newInputStream(pem)) {
      List<X509Certificate> out = new ArrayList<>();
      for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        out.add((X509Certificate) c);
      }
      if (out.isEmpty()) {
        throw new IllegalStateException("no certificate in " + pem);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + pem, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("not a PEM certificate file: " + pem, e);
    }
  }

  private static void create(Path dir, Path caPem, Path caKeyPem, Path serverPem,
      Path serverKeyPem, List<String> extraNames, Clock clock, SecureRandom random) {
    try {
      Files.createDirectories(dir);
      Instant now = clock.instant();
      KeyPair caKeys = ecKeyPair(random);
      X500Name caName = new X500Name("CN=Cortex Hub CA " + now.getEpochSecond());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder caBuilder = new JcaX509v3CertificateBuilder(caName,
          serial(random), Date.from(now.minus(Duration.ofHours(1))),
          Date.from(now.plus(Duration.ofDays(3650))), caName, caKeys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true,
              new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false,
              ext.createSubjectKeyIdentifier(caKeys.getPublic()));
      X509Certificate ca = sign(caBuilder, caKeys);

      KeyPair serverKeys = ecKeyPair(random);
      X509v3CertificateBuilder serverBuilder = new JcaX509v3CertificateBuilder(ca,
          serial(random), Date.from(now.minus(Duration.ofHours(1))),
          Date.from(now.plus(Duration.ofDays(825))), new X500Name("CN=cortex-hub"),
          serverKeys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false,
              new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
          .addExtension(Extension.authorityKeyIdentifier, false,
              ext.createAuthorityKeyIdentifier(ca))
          .addExtension(Extension.subjectAlternativeName, false, sans(extraNames));
      X509Certificate server = sign(serverBuilder, caKeys);

      writePem(caPem, false, ca);
      writePem(caKeyPem, true, new JcaPKCS8Generator(caKeys.getPrivate(), null));
      writePem(serverPem, false, server, ca);
      writePem(serverKeyPem, true, new JcaPKCS8Generator(serverKeys.getPrivate(), null));
      LOG.info(() -> "created hub CA and server certificate in " + dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create TLS material in " + dir, e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot create TLS material", e);
    }
  }

  private static GeneralNames sans(List<String> extraNames) {
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

  private static KeyPair ecKeyPair(SecureRandom random) throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), random);
    return g.generateKeyPair();
  }

  private static BigInteger serial(SecureRandom random) {
    return new BigInteger(127, random).add(BigInteger.ONE);
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair issuer)
      throws OperatorCreationException, GeneralSecurityException {
    ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA")
        .build(issuer.getPrivate());
    return new JcaX509CertificateConverter().getCertificate(b.build(signer));
  }

  private static void writePem(Path file, boolean secret, Object... objects) throws IOException {
    StringWriter s = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(s)) {
      for (Object o : objects) {
        w.writeObject(o);
      }
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    if (secret && FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------")));
    }
    Files.writeString(tmp, s.toString(), StandardCharsets.US_ASCII);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

}
