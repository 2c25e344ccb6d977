package io.cortexhub.node.tls;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * What the agent's trust managers share: they judge the hub's server certificate only (the agent
 * never accepts TLS clients), by an ordinary JDK PKIX manager over exactly the anchors they choose —
 * never the JDK's default CAs.
 */
abstract class HubServerTrustManager extends X509ExtendedTrustManager {
  private static final String NO_CLIENTS = "the node agent does not accept TLS clients";

  /** A PKIX trust manager whose only anchors are {@code anchors}. */
  static X509ExtendedTrustManager pkixTrusting(List<X509Certificate> anchors)
      throws GeneralSecurityException, IOException {
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    int i = 0;
    for (X509Certificate ca : anchors) {
      ks.setCertificateEntry("hub-ca-" + i++, ca);
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(ks);
    for (TrustManager tm : tmf.getTrustManagers()) {
      if (tm instanceof X509ExtendedTrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("the JDK offers no X509ExtendedTrustManager");
  }

  @Override
  public final void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException(NO_CLIENTS);
  }

  @Override
  public final void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw new CertificateException(NO_CLIENTS);
  }

  @Override
  public final void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException(NO_CLIENTS);
  }
}
