package io.cortexhub.node.tls;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts a hub server certificate that chains (PKIX) to one of the CAs of the node's current
 * credential bundle — exactly those, not the JDK's defaults — and lets a renewal replace that set
 * (two CAs during a hub CA rotation, then the new one alone).
 *
 * <p>Host-name checks stay the engine's (gRPC sets HTTPS endpoint identification). Thread-safe: the
 * delegate is swapped atomically; a handshake uses whichever set was current when it began.
 */
final class SwappableTrustManager extends HubServerTrustManager {
  private volatile X509ExtendedTrustManager delegate;
  private volatile List<X509Certificate> cas;

  SwappableTrustManager(List<X509Certificate> trustedCas) {
    update(trustedCas);
  }

  void update(List<X509Certificate> trustedCas) {
    if (trustedCas.isEmpty()) {
      throw new HubTrustException("the credential bundle trusts no hub CA");
    }
    this.delegate = pkix(trustedCas);
    this.cas = List.copyOf(trustedCas);
  }

  List<X509Certificate> trustedCas() {
    return cas;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    delegate.checkServerTrusted(chain, authType, engine);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    delegate.checkServerTrusted(chain, authType, socket);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    delegate.checkServerTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return cas.toArray(X509Certificate[]::new);
  }

  private static X509ExtendedTrustManager pkix(List<X509Certificate> anchors) {
    try {
      return pkixTrusting(anchors);
    } catch (GeneralSecurityException | IOException e) {
      throw new HubTrustException("cannot build a trust store from the hub CAs: " + e.getMessage(), e);
    }
  }
}
