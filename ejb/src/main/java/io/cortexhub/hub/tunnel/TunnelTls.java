package io.cortexhub.hub.tunnel;

import io.cortexhub.hub.pki.HubPki;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.OpenSsl;
import io.grpc.netty.shaded.io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.util.SimpleKeyManagerFactory;
import io.grpc.netty.shaded.io.netty.handler.ssl.util.SimpleTrustManagerFactory;
import java.net.Socket;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import javax.net.ssl.KeyManager;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The tunnel's TLS context, built once and never rebuilt: its key manager reads the server key and
 * certificate from {@link HubPki#snapshot()} on every handshake, so a CA rotation takes effect on
 * the next connection without a restart and without touching established ones.
 *
 * <p>Client certificates are requested but optional at the TLS layer, because {@code Enroll} is
 * made before a node has one. The TLS layer proves only that a client holds the key of the
 * certificate it presents; whether that certificate admits it (issuer, validity, revocation) is
 * decided per RPC by {@link PeerAuthInterceptor}, which can refuse with a reason the node's
 * operator can read, instead of an anonymous handshake failure. Stateless apart from the PKI.
 */
public final class TunnelTls {
  private TunnelTls() {}

  public static SslContext serverContext(HubPki pki) {
    Objects.requireNonNull(pki, "pki");
    SimpleKeyManagerFactory keys = new SimpleKeyManagerFactory() {
      private final KeyManager[] managers = {new PkiKeyManager(pki)};

      @Override
      protected void engineInit(KeyStore keyStore, char[] password) { }

      @Override
      protected void engineInit(ManagerFactoryParameters params) { }

      @Override
      protected KeyManager[] engineGetKeyManagers() {
        return managers;
      }
    };
    SimpleTrustManagerFactory trust = new SimpleTrustManagerFactory() {
      private final TrustManager[] managers = {new ProofOfPossessionOnly()};

      @Override
      protected void engineInit(KeyStore keyStore) { }

      @Override
      protected void engineInit(ManagerFactoryParameters params) { }

      @Override
      protected TrustManager[] engineGetTrustManagers() {
        return managers;
      }
    };
    try {
      // With BoringSSL the caching factory converts the key to native form once per alias (the
      // alias changes with every new server certificate), not on every handshake.
      var factory = OpenSsl.isAvailable() ? new OpenSslCachingX509KeyManagerFactory(keys) : keys;
      return GrpcSslContexts.configure(SslContextBuilder.forServer(factory))
          .trustManager(trust)
          .clientAuth(ClientAuth.OPTIONAL)
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot build the tunnel's TLS context", e);
    }
  }

  /** Serves whatever server key and certificate the PKI holds now. */
  static final class PkiKeyManager extends X509ExtendedKeyManager {
    private final HubPki pki;

    PkiKeyManager(HubPki pki) {
      this.pki = pki;
    }

    private String alias() {
      return "server-" + pki.snapshot().generation();
    }

    private boolean matches(String keyType) {
      String alg = pki.snapshot().serverKey().getAlgorithm();
      // OpenSSL asks with "EC", "EC_EC" or "EC_RSA"; the JDK with "EC" or "RSA".
      return alg.equals("EC") ? keyType.startsWith("EC") : keyType.equals(alg);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return matches(keyType) ? alias() : null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
      return matches(keyType) ? alias() : null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return matches(keyType) ? new String[] {alias()} : null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return pki.snapshot().serverChain().toArray(X509Certificate[]::new);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return pki.snapshot().serverKey();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return null;
    }
  }

  /**
   * Accepts any client certificate whose key the client proved it holds (TLS does that itself);
   * the decision whether the certificate admits the node is {@link PeerAuthInterceptor}'s. Never
   * used for server certificates.
   */
  static final class ProofOfPossessionOnly extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      requireChain(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      requireChain(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      requireChain(chain);
    }

    private static void requireChain(X509Certificate[] chain) throws CertificateException {
      if (chain == null || chain.length == 0) {
        throw new CertificateException("empty client certificate chain");
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("the tunnel never verifies servers");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("the tunnel never verifies servers");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("the tunnel never verifies servers");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      // Empty: the client sends its certificate whichever CA issued it, so an out-of-date one is
      // refused with a reason rather than silently not sent.
      return new X509Certificate[0];
    }
  }
}
