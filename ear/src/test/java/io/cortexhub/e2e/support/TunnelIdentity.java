package io.cortexhub.e2e.support;

import io.cortexhub.proto.node.v1.EnrollRequest;
import io.cortexhub.proto.node.v1.NodeCredentialBundle;
import io.cortexhub.proto.node.v1.NodeEnrollmentGrpc;
import io.cortexhub.proto.node.v1.TaskSigningKey;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * A node identity enrolled from the test JVM through the hub's real {@code NodeEnrollment.Enroll} RPC: an
 * EC P-256 key made here, a BouncyCastle PKCS#10 request, a join token an admin created, and the
 * credential bundle the hub answered (certificate chain, trusted CAs, task-signing keys). It lets raw
 * tunnel clients ({@link RawTunnelClient}, {@link TestNode}) pass the hub's mutual TLS so that what they
 * test reaches the session behind it. Immutable; thread-safe.
 */
public final class TunnelIdentity {
  private final PrivateKey key;
  private final NodeCredentialBundle bundle;
  private final List<X509Certificate> chain;

  private TunnelIdentity(PrivateKey key, NodeCredentialBundle bundle) {
    this.key = key;
    this.bundle = bundle;
    this.chain = Pki.parseCertificates(bundle.getCertificateChainPem());
  }

  /**
   * Enrolls at {@code host:port}, trusting the hub through the CA bundle file (as {@code cortex-node enroll
   * --ca-file} does).
   *
   * @throws io.grpc.StatusRuntimeException when the hub refuses (e.g. UNAUTHENTICATED for a used token)
   */
  public static TunnelIdentity enroll(String host, int port, Path caBundle, String joinToken, String name) {
    KeyPair keys = Pki.newEcKeyPair();
    ManagedChannel channel = channel(host, port, serverTrust(caBundle));
    try {
      NodeCredentialBundle bundle =
          NodeEnrollmentGrpc.newBlockingStub(channel)
              .withDeadlineAfter(30, TimeUnit.SECONDS)
              .enroll(
                  EnrollRequest.newBuilder()
                      .setJoinToken(joinToken)
                      .setCsrDer(ByteString.copyFrom(Pki.csr(keys, "ignored-by-the-hub")))
                      .setNodeName(name)
                      .build())
              .getCredentials();
      return new TunnelIdentity(keys.getPrivate(), bundle);
    } finally {
      channel.shutdownNow();
    }
  }

  /** Enrolls at {@code hub}'s tunnel with a fresh one-time join token of {@code workspace} made by {@code admin}. */
  public static TunnelIdentity enroll(HubProcess hub, HubClient admin, String workspace, String name) {
    String token = admin.createJoinToken(workspace, Map.of(), 1).token();
    return enroll(hub.tunnelHost(), hub.tunnelPort(), hub.caBundle(), token, name);
  }

  public String nodeId() {
    return bundle.getNodeId();
  }

  public String workspace() {
    return bundle.getWorkspace();
  }

  public PrivateKey privateKey() {
    return key;
  }

  /** The node certificate, then the CA that issued it. */
  public List<X509Certificate> chain() {
    return chain;
  }

  public X509Certificate certificate() {
    return chain.get(0);
  }

  /** CAs the hub told the node to trust for its server certificate. */
  public List<X509Certificate> trustedCas() {
    return Pki.parseCertificates(bundle.getTrustedCasPem());
  }

  /** The task-signing public keys pinned at enrollment, by key id. */
  public Map<String, PublicKey> taskSigningKeys() {
    Map<String, PublicKey> keys = new LinkedHashMap<>();
    for (TaskSigningKey k : bundle.getTaskSigningKeysList()) {
      try {
        keys.put(
            k.getKeyId(),
            KeyFactory.getInstance(k.getAlgorithm()).generatePublic(new X509EncodedKeySpec(k.getPublicKey().toByteArray())));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("task signing key " + k.getKeyId() + " (" + k.getAlgorithm() + ")", e);
      }
    }
    return keys;
  }

  public NodeCredentialBundle bundle() {
    return bundle;
  }

  /** Client TLS presenting this identity and trusting the CAs of its bundle: what a node's {@code run} uses. */
  public SslContext sslContext() {
    return clientContext(key, chain, trustedCas());
  }

  /** Client TLS presenting {@code certificates} (leaf first) for {@code key}, trusting {@code trusted}. */
  public static SslContext clientContext(PrivateKey key, List<X509Certificate> certificates, List<X509Certificate> trusted) {
    try {
      return GrpcSslContexts.forClient()
          .keyManager(key, certificates.toArray(X509Certificate[]::new))
          .trustManager(trusted.toArray(X509Certificate[]::new))
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Client TLS without a certificate, trusting the CAs in {@code caBundle}: what enrollment uses. */
  public static SslContext serverTrust(Path caBundle) {
    try {
      return GrpcSslContexts.forClient().trustManager(caBundle.toFile()).build();
    } catch (SSLException e) {
      throw new IllegalStateException(e);
    }
  }

  static ManagedChannel channel(String host, int port, SslContext tls) {
    Objects.requireNonNull(tls, "tls");
    return NettyChannelBuilder.forAddress(host, port)
        // The hub's certificate names localhost whatever loopback address the tunnel is reached on.
        .overrideAuthority("localhost")
        .sslContext(tls)
        .maxInboundMessageSize(16 * 1024 * 1024)
        .build();
  }
}
