package io.cortexhub.hub.tunnel;

import io.cortexhub.hub.pki.Pem;
import io.cortexhub.proto.node.v1.EnrollRequest;
import io.cortexhub.proto.node.v1.NodeCredentialBundle;
import io.cortexhub.proto.node.v1.NodeCredentialsGrpc;
import io.cortexhub.proto.node.v1.NodeEnrollmentGrpc;
import io.cortexhub.proto.node.v1.RenewRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.stub.MetadataUtils;
import com.google.protobuf.ByteString;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * The node side of enrollment and mutual TLS, as the node agent does it, for hub tests: a key
 * pair made here, a CSR, Enroll/Renew over TLS, and channels presenting the certificate. Holds
 * the latest bundle; not thread-safe.
 */
final class TestCredentials {
  final int port;
  KeyPair keys;
  NodeCredentialBundle bundle;

  private TestCredentials(int port) {
    this.port = port;
  }

  static KeyPair ecKeys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  /** A PKCS#10 request for {@code keys}, asking (in vain) for {@code subject}. */
  static byte[] csr(KeyPair keys, String subject) throws Exception {
    return new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), keys.getPublic())
        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()))
        .getEncoded();
  }

  /** Enrolls over server-authenticated TLS, trusting exactly {@code trustedCas}. */
  static TestCredentials enroll(int port, List<X509Certificate> trustedCas, String token,
      String name) throws Exception {
    TestCredentials c = new TestCredentials(port);
    c.keys = ecKeys();
    ManagedChannel ch = channel(port, trustedCas, null, null);
    try {
      c.bundle = NodeEnrollmentGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
          .enroll(EnrollRequest.newBuilder().setJoinToken(token).setNodeName(name)
              .setCsrDer(ByteString.copyFrom(csr(c.keys, "CN=root,O=evil"))).build())
          .getCredentials();
    } finally {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    return c;
  }

  List<X509Certificate> chain() {
    return Pem.parseCertificates(bundle.getCertificateChainPem());
  }

  List<X509Certificate> trusted() {
    return Pem.parseCertificates(bundle.getTrustedCasPem());
  }

  /** A channel presenting this node's certificate and trusting its bundle's CAs. */
  ManagedChannel mtls() throws SSLException {
    return channel(port, trusted(), keys.getPrivate(), chain());
  }

  /** Renews with a new key over mutual TLS, presenting {@code bearer}; adopts the new bundle. */
  void renew(String bearer) throws Exception {
    KeyPair next = ecKeys();
    ManagedChannel ch = mtls();
    try {
      Metadata md = new Metadata();
      if (bearer != null) {
        md.put(PeerAuthInterceptor.AUTHORIZATION, "Bearer " + bearer);
      }
      bundle = NodeCredentialsGrpc.newBlockingStub(ch)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .renew(RenewRequest.newBuilder()
              .setCsrDer(ByteString.copyFrom(csr(next, "CN=whatever"))).build())
          .getCredentials();
      keys = next;
    } finally {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** A would-be node without any certificate (its renewals must fail). */
  static final class Anonymous {
    private final int port;
    private final List<X509Certificate> trusted;

    Anonymous(int port, List<X509Certificate> trusted) {
      this.port = port;
      this.trusted = trusted;
    }

    void renew(String bearer) throws Exception {
      ManagedChannel ch = channel(port, trusted, null, null);
      try {
        Metadata md = new Metadata();
        md.put(PeerAuthInterceptor.AUTHORIZATION, "Bearer " + bearer);
        NodeCredentialsGrpc.newBlockingStub(ch)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .renew(RenewRequest.newBuilder()
                .setCsrDer(ByteString.copyFrom(csr(ecKeys(), "CN=x"))).build());
      } finally {
        ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  static ManagedChannel channel(int port, List<X509Certificate> trusted, PrivateKey key,
      List<X509Certificate> chain) throws SSLException {
    SslContextBuilder b = GrpcSslContexts.forClient()
        .trustManager(trusted.toArray(X509Certificate[]::new));
    if (key != null) {
      b.keyManager(key, chain.toArray(X509Certificate[]::new));
    }
    return NettyChannelBuilder.forAddress("localhost", port).sslContext(b.build()).build();
  }
}
