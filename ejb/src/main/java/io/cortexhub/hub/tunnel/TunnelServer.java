package io.cortexhub.hub.tunnel;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.util.List;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The tunnel's Netty server: one TLS listener for {@code NodeTunnel}, {@code NodeEnrollment} and
 * {@code NodeCredentials} (client certificates optional at the TLS layer so that enrollment works
 * without one; {@link PeerAuthInterceptor} requires them per method), frame size limit, callbacks
 * on the given (container-managed) executor. Stopping closes every stream with UNAVAILABLE, then shuts
 * down, waits, and forces what is left. Not thread-safe: start and stop from one lifecycle owner.
 */
public final class TunnelServer {
  private static final Logger LOG = Logger.getLogger(TunnelServer.class.getName());

  private final NodeTunnelService service;
  private final PeerAuthInterceptor auth;
  private final List<ServerServiceDefinition> others;
  private Server server;

  /**
   * @param auth admits every call (may be null only in tests that speak plain TLS to the tunnel)
   * @param others further services on the same listener (enrollment, credentials)
   */
  public TunnelServer(NodeTunnelService service, PeerAuthInterceptor auth,
      ServerServiceDefinition... others) {
    this.service = Objects.requireNonNull(service, "service");
    this.auth = auth;
    this.others = List.of(others);
  }

  /**
   * Binds {@code host:port} (port 0 picks a free one) and returns the bound port.
   *
   * @param ssl the server context ({@link TunnelTls#serverContext})
   * @param caFingerprint logged, so operators see what nodes pin
   */
  public int start(String host, int port, SslContext ssl, String caFingerprint, int maxFrameBytes,
      Executor executor) {
    try {
      NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
          .sslContext(ssl)
          // Hard ceiling for memory; frames between the limit and this are refused by the session
          // with RESOURCE_EXHAUSTED and a reason, larger ones by the transport.
          .maxInboundMessageSize(transportCeiling(maxFrameBytes))
          .permitKeepAliveTime(10, TimeUnit.SECONDS)
          .permitKeepAliveWithoutCalls(true)
          .executor(executor)
          .addService(intercept(service.bindService()));
      for (ServerServiceDefinition d : others) {
        b.addService(intercept(d));
      }
      server = b.build().start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind the tunnel on " + host + ":" + port, e);
    }
    int bound = server.getPort();
    LOG.info(() -> "Cortex tunnel listening on " + host + ":" + bound + " (TLS"
        + (auth == null ? "" : ", node certificates required") + ", CA " + caFingerprint + ")");
    return bound;
  }

  private ServerServiceDefinition intercept(ServerServiceDefinition d) {
    return auth == null ? d : ServerInterceptors.intercept(d, auth);
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
