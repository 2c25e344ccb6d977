package io.cortexhub.node.tls;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * Trusts a hub whose certificate chain contains a certificate (normally its CA) with a pinned
 * SHA-256 fingerprint of the DER encoding. The hub must therefore send its CA in the chain.
 *
 * <p>Accepts {@code sha256:} followed by 64 hex digits, optionally separated by colons, in either
 * case. Immutable, thread-safe.
 */
public record CaFingerprintTrust(byte[] sha256) implements HubTrust {
  private static final String PREFIX = "sha256:";

  public CaFingerprintTrust {
    if (sha256 == null || sha256.length != 32) {
      throw new HubTrustException("a SHA-256 fingerprint has 32 bytes");
    }
    sha256 = sha256.clone();
  }

  static CaFingerprintTrust parse(String text) {
    String t = text == null ? "" : text.trim();
    if (!t.toLowerCase(Locale.ROOT).startsWith(PREFIX)) {
      throw new HubTrustException(
          "CA fingerprint must look like sha256:<64 hex digits>, got '" + text + "'");
    }
    String hex = t.substring(PREFIX.length()).replace(":", "");
    if (!hex.matches("[0-9a-fA-F]{64}")) {
      throw new HubTrustException(
          "CA fingerprint must have 64 hex digits after 'sha256:', got '" + text + "'");
    }
    return new CaFingerprintTrust(HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT)));
  }

  /** {@code sha256:<hex>} of a certificate's DER encoding. */
  public static String fingerprintOf(X509Certificate cert) {
    try {
      return PREFIX + HexFormat.of().formatHex(digest(cert.getEncoded()));
    } catch (CertificateEncodingException e) {
      throw new HubTrustException("cannot encode certificate " + cert.getSubjectX500Principal(), e);
    }
  }

  static byte[] digest(byte[] der) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(der);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public byte[] sha256() {
    return sha256.clone();
  }

  @Override
  public SslContext clientContext() {
    try {
      return GrpcSslContexts.forClient().trustManager(new PinnedCaTrustManager(sha256)).build();
    } catch (SSLException e) {
      throw new HubTrustException("cannot build TLS context for " + describe(), e);
    }
  }

  @Override
  public String describe() {
    return "ca-fingerprint " + PREFIX + HexFormat.of().formatHex(sha256);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CaFingerprintTrust other && MessageDigest.isEqual(sha256, other.sha256);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(sha256);
  }

  @Override
  public String toString() {
    return describe();
  }
}
