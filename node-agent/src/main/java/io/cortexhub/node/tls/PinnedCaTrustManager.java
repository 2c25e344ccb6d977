package io.cortexhub.node.tls;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Validates a server chain against the one certificate in it whose SHA-256 matches the pin.
 *
 * <p>The matching certificate becomes the only trust anchor of an ordinary JDK PKIX trust manager,
 * which then checks signatures, validity and (through the engine's endpoint identification) the
 * host name. So pinning replaces distributing a CA file, not any of the checks. Thread-safe
 * (immutable; PKIX managers are built per handshake).
 */
final class PinnedCaTrustManager extends HubServerTrustManager {
  private final byte[] pin;

  PinnedCaTrustManager(byte[] pin) {
    this.pin = pin.clone();
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    anchoredManager(chain).checkServerTrusted(chain, authType, engine);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    anchoredManager(chain).checkServerTrusted(chain, authType, socket);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    anchoredManager(chain).checkServerTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }

  private X509ExtendedTrustManager anchoredManager(X509Certificate[] chain)
      throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("the hub presented no certificate");
    }
    List<String> seen = new ArrayList<>();
    for (X509Certificate cert : chain) {
      byte[] fp = CaFingerprintTrust.digest(encoded(cert));
      if (MessageDigest.isEqual(fp, pin)) {
        return pkixTrusting(cert);
      }
      seen.add("sha256:" + HexFormat.of().formatHex(fp));
    }
    throw new CertificateException(
        "hub certificate chain does not contain the pinned CA sha256:"
            + HexFormat.of().formatHex(pin)
            + " (the hub presented "
            + String.join(", ", seen)
            + "); check --ca-fingerprint against the fingerprint the hub logs at boot");
  }

  private static byte[] encoded(X509Certificate cert) throws CertificateException {
    try {
      return cert.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new CertificateException("cannot encode the hub's certificate", e);
    }
  }

  private static X509ExtendedTrustManager pkixTrusting(X509Certificate anchor)
      throws CertificateException {
    try {
      return pkixTrusting(List.of(anchor));
    } catch (GeneralSecurityException | IOException e) {
      throw new CertificateException("cannot build a trust store for the pinned CA", e);
    }
  }
}
