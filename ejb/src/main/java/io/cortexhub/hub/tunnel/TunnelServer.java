package io.cortexhub.hub.tunnel;

import io.cortexhub.hub.tls.TlsMaterial;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.net.ssl.SSLException;

/**
 * The tunnel's Netty server: TLS on one listener (client certificates optional, so enrollment
 * without a certificate and mTLS sessions can later share it), frame size limit, callbacks on the
 * given (container-managed) executor. Stopping closes every stream with UNAVAILABLE, then shuts
 * down, waits, and forces what is left. Not thread-safe: start and stop from one lifecycle owner.
 */
public final class TunnelServer {
  private static final Logger LOG = Logger.getLogger(TunnelServer.class.getName());

  private final NodeTunnelService service;
  private Server server;

  public TunnelServer(NodeTunnelService service) {
    this.service = Objects.requireNonNull(service, "service");
  }

  /** Binds {@code host:port} (port 0 picks a free one) and returns the bound port. */
  public int start(String host, int port, TlsMaterial tls, int maxFrameBytes, Executor executor) {
    try {
      SslContextBuilder ssl = GrpcSslContexts.forServer(tls.certChain().toFile(),
          tls.privateKey().toFile());
      if (tls.ca().isPresent()) {
        ssl.trustManager(tls.ca().get().toFile()).clientAuth(ClientAuth.OPTIONAL);
      }
      server = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
          .sslContext(ssl.build())
          // Hard ceiling for memory; frames between the limit and this are refused by the session
          // with RESOURCE_EXHAUSTED and a reason, larger ones by the transport.
          .maxInboundMessageSize(transportCeiling(maxFrameBytes))
          .permitKeepAliveTime(10, TimeUnit.SECONDS)
          .permitKeepAliveWithoutCalls(true)
          .executor(executor)
          .addService(service)
          .build()
          .start();
    } catch (SSLException e) {
      throw new IllegalStateException("bad TLS material " + tls, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind the tunnel on " + host + ":" + port, e);
    }
    int bound = server.getPort();
    LOG.info(() -> "Cortex tunnel listening on " + host + ":" + bound + " (TLS, CA "
        + tls.caFingerprint() + ")");
    return bound;
  }

  static int transportCeiling(int maxFrameBytes) {
    return (int) Math.min(Integer.MAX_VALUE, 2L * maxFrameBytes);
  }

  public boolean isListening() {
    return server != null && !server.isShutdown();
  }

  /** Closes streams (UNAVAILABLE), shuts down, waits up to {@code grace}, then forces. */
  public void stop(Duration grace) {
    if (server == null) {
      return;
    }
    service.closeAll("hub shutting down; reconnect later");
    server.shutdown();
    try {
      if (!server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        server.shutdownNow();
        server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    LOG.info("Cortex tunnel stopped");
  }
}
