package io.cortexhub.node.tls;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import io.grpc.netty.shaded.io.netty.handler.ssl.OpenSslSessionContext;
import java.util.Enumeration;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;

/**
 * Client TLS for an enrolled node: presents the node certificate (mutual TLS) and trusts exactly
 * the hub CAs of its credential bundle. One {@link SslContext} for the node's life; {@link #update}
 * swaps certificate, key and trusted CAs underneath it, so the <em>next</em> handshake on any channel
 * built with {@link #clientContext()} uses them. Connections already open keep the identity they
 * were made with. TLS sessions are never resumed, so every handshake shows the current certificates.
 *
 * <p>Certificates must be EC P-256 (or RSA): Ed25519 certificates fail the handshake with the
 * BoringSSL bundled in grpc-netty-shaded. Thread-safe.
 */
public final class MutualTls {
  private final SwappableKeyManager keys;
  private final SwappableTrustManager trust;
  private final SslContext context;

  public MutualTls(PrivateKey key, List<X509Certificate> chain, List<X509Certificate> trustedCas) {
    this.keys = new SwappableKeyManager(key, chain);
    this.trust = new SwappableTrustManager(trustedCas);
    try {
      this.context = GrpcSslContexts.forClient().keyManager(keys).trustManager(trust).build();
    } catch (SSLException e) {
      throw new HubTrustException("cannot build the mutual-TLS context: " + e.getMessage(), e);
    }
    // No TLS session resumption: a resumed session skips the certificate exchange, so after a
    // renewal (or a CA rotation) the hub would still see the old certificate, and the node would
    // never check the hub's new one. A node reconnects rarely; a full handshake costs nothing here.
    if (context.sessionContext() instanceof OpenSslSessionContext openSsl) {
      openSsl.setSessionCacheEnabled(false);
    }
  }

  /** Installs renewed material for the next handshake. */
  public synchronized void update(PrivateKey key, List<X509Certificate> chain, List<X509Certificate> trustedCas) {
    // Trust first: a new certificate from a new CA comes with (at least) that CA in trustedCas.
    trust.update(trustedCas);
    keys.update(key, chain);
    forgetSessions();
  }

  /** For the JDK provider (no OpenSSL on this platform), whose client cache cannot be switched off. */
  private void forgetSessions() {
    SSLSessionContext sessions = context.sessionContext();
    if (sessions == null) {
      return;
    }
    for (Enumeration<byte[]> ids = sessions.getIds(); ids.hasMoreElements(); ) {
      SSLSession s = sessions.getSession(ids.nextElement());
      if (s != null) {
        s.invalidate();
      }
    }
  }

  public SslContext clientContext() {
    return context;
  }

  /** The node certificate the next handshake presents. */
  public X509Certificate certificate() {
    return keys.certificate();
  }

  /** The hub CAs trusted now. */
  public List<X509Certificate> trustedCas() {
    return trust.trustedCas();
  }
}
