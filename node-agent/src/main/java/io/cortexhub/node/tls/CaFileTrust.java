package io.cortexhub.node.tls;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * Trusts the CA certificates read from a PEM file (e.g. the hub's {@code <data>/tls/ca.pem}).
 *
 * <p>Immutable, thread-safe. The file is read once, when the trust is created.
 */
public record CaFileTrust(Path file, List<X509Certificate> certificates) implements HubTrust {
  public CaFileTrust {
    certificates = List.copyOf(certificates);
    if (certificates.isEmpty()) {
      throw new HubTrustException("no certificate in " + file);
    }
  }

  static CaFileTrust load(Path pem) {
    if (!Files.isReadable(pem)) {
      throw new HubTrustException("CA file " + pem + " does not exist or is not readable");
    }
    try (InputStream in = Files.newInputStream(pem)) {
      List<X509Certificate> certs =
          CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
              .map(X509Certificate.class::cast)
              .toList();
      return new CaFileTrust(pem, certs);
    } catch (IOException | CertificateException e) {
      throw new HubTrustException("CA file " + pem + " is not a PEM certificate: " + e.getMessage(), e);
    }
  }

  @Override
  public SslContext clientContext() {
    try {
      return GrpcSslContexts.forClient()
          .trustManager(certificates.toArray(X509Certificate[]::new))
          .build();
    } catch (SSLException e) {
      throw new HubTrustException("cannot build TLS context from " + file, e);
    }
  }

  @Override
  public String describe() {
    return "ca-file " + file;
  }
}
