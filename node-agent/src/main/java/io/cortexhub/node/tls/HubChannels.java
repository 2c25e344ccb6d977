package io.cortexhub.node.tls;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Builds TLS channels to the hub's tunnel port.
 *
 * <p>Two kinds: server-authenticated TLS ({@link HubTrust}: enrollment) and mutual TLS ({@link
 * MutualTls}: the tunnel and renewal of an enrolled node). Keepalive pings detect a hub that vanished without closing the connection (power loss, a
 * dropped NAT mapping) well before the heartbeat deadlines would. Stateless; thread-safe.
 */
public final class HubChannels {
  /** Matches the hub's {@code cortex.tunnel.max-frame-bytes} default. */
  public static final int DEFAULT_MAX_FRAME_BYTES = 4 * 1024 * 1024;

  private HubChannels() {}

  /** A server-authenticated channel (enrollment, or a hub that does not ask for a certificate). */
  public static ManagedChannel open(
      String host, int port, HubTrust trust, int maxInboundBytes, Executor callbackExecutor) {
    Objects.requireNonNull(trust, "trust");
    return open(host, port, trust.clientContext(), maxInboundBytes, callbackExecutor);
  }

  /** A mutual-TLS channel presenting the node's certificate ({@link MutualTls#clientContext()}). */
  public static ManagedChannel open(
      String host, int port, MutualTls tls, int maxInboundBytes, Executor callbackExecutor) {
    Objects.requireNonNull(tls, "tls");
    return open(host, port, tls.clientContext(), maxInboundBytes, callbackExecutor);
  }

  private static ManagedChannel open(
      String host, int port, SslContext ssl, int maxInboundBytes, Executor callbackExecutor) {
    return NettyChannelBuilder.forAddress(host, port)
        .sslContext(ssl)
        .maxInboundMessageSize(maxInboundBytes)
        .keepAliveTime(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS)
        .keepAliveTimeout(10, TimeUnit.SECONDS)
        .disableRetry()
        .executor(Objects.requireNonNull(callbackExecutor, "callbackExecutor"))
        .build();
  }
}
