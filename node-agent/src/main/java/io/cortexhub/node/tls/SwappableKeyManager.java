package io.cortexhub.node.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents the node's current certificate and key in client handshakes, and lets a renewal replace
 * them without rebuilding the TLS context (or the channel built on it).
 *
 * <p>Why the alias carries a generation: a TLS engine asks for the alias, then the chain, then the
 * key, in three calls. If a renewal lands between them, the alias still names the pair it was
 * chosen for (the previous pair is kept), so no handshake ever mixes a new certificate with an old
 * key. Thread-safe.
 */
final class SwappableKeyManager extends X509ExtendedKeyManager {
  private static final String ALIAS_PREFIX = "cortex-node#";

  private record Material(long generation, PrivateKey key, X509Certificate[] chain) {
    String alias() {
      return ALIAS_PREFIX + generation;
    }
  }

  private volatile Material current;
  private volatile Material previous;

  SwappableKeyManager(PrivateKey key, List<X509Certificate> chain) {
    this.current = material(0, key, chain);
  }

  synchronized void update(PrivateKey key, List<X509Certificate> chain) {
    Material next = material(current.generation() + 1, key, chain);
    previous = current;
    current = next;
  }

  X509Certificate certificate() {
    return current.chain()[0];
  }

  private static Material material(long generation, PrivateKey key, List<X509Certificate> chain) {
    Objects.requireNonNull(key, "key");
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("a client certificate chain needs at least the node certificate");
    }
    return new Material(generation, key, chain.toArray(X509Certificate[]::new));
  }

  private Material byAlias(String alias) {
    Material c = current;
    if (c.alias().equals(alias)) {
      return c;
    }
    Material p = previous;
    return p != null && p.alias().equals(alias) ? p : null;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return current.alias();
  }

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
    return current.alias();
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return new String[] {current.alias()};
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    Material m = byAlias(alias);
    return m == null ? null : m.chain().clone();
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    Material m = byAlias(alias);
    return m == null ? null : m.key();
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return null; // a node is never a TLS server
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return null;
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return null;
  }
}
