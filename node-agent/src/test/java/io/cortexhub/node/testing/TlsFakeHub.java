package io.cortexhub.node.testing;

import io.cortexhub.node.tunnel.HubAddress;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A fake hub on a real TLS listener, shaped like the real one: Netty on loopback, one port serving
 * {@code NodeTunnel}, {@code NodeEnrollment} and {@code NodeCredentials}, client certificates
 * optional at the TLS layer (enrollment has none), the server certificate (EC P-256 from {@link
 * #ca}, sent with its CA) swappable for CA-rotation tests. Trusts client certificates from {@link
 * #ca} and {@link #nextCa}.
 */
public final class TlsFakeHub {
  public final TestCa ca = TestCa.create("Cortex Hub CA 1");
  public final TestCa nextCa = TestCa.create("Cortex Hub CA 2");
  public final TestTaskSigner signer = TestTaskSigner.create();
  public final FakeHub tunnel = new FakeHub();
  public final FakeIdentityHub identity = new FakeIdentityHub(Clock.systemUTC(), ca, signer);
  public final ServerIdentity serverIdentity = new ServerIdentity(ca);
  public final HubAddress address;

  private TlsFakeHub(GrpcCleanup grpc) throws Exception {
    var ssl =
        GrpcSslContexts.configure(SslContextBuilder.forServer(serverIdentity))
            .clientAuth(ClientAuth.OPTIONAL)
            .trustManager(ca.cert, nextCa.cert)
            .build();
    var server =
        grpc.register(
            NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .sslContext(ssl)
                .addService(ServerInterceptors.intercept(tunnel, identity.interceptor()))
                .addService(ServerInterceptors.intercept(identity.enrollment(), identity.interceptor()))
                .addService(ServerInterceptors.intercept(identity.credentials(), identity.interceptor()))
                .build()
                .start());
    address = new HubAddress("localhost", server.getPort());
  }

  /** Starts the listener; {@code grpc} stops it after the test. */
  public static TlsFakeHub start(GrpcCleanup grpc) throws Exception {
    return new TlsFakeHub(grpc);
  }

  /** The hub's server certificate, swappable like the real hub's during a CA rotation. */
  public static final class ServerIdentity extends X509ExtendedKeyManager {
    private volatile PrivateKey key;
    private volatile X509Certificate[] chain;

    ServerIdentity(TestCa ca) {
      use(ca);
    }

    /** From now on, a server certificate from {@code ca}, sent with the CA (nodes pin it). */
    public synchronized void use(TestCa ca) {
      TestCa.Issued issued = ca.serverCert();
      chain = new X509Certificate[] {issued.cert(), ca.cert};
      key = issued.keys().getPrivate();
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
      return "hub";
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return "hub";
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return chain.clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return key;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return new String[] {"hub"};
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
}
