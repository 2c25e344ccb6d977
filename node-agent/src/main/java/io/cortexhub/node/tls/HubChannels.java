package io.cortexhub.node.tls;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Builds TLS channels to the hub's tunnel port.
 *
 * <p>Keepalive pings detect a hub that vanished without closing the connection (power loss, a
 * dropped NAT mapping) well before the heartbeat deadlines would. Stateless; thread-safe.
 */
public final class HubChannels {
  /** Matches the hub's {@code cortex.tunnel.max-frame-bytes} default. */
  public static final int DEFAULT_MAX_FRAME_BYTES = 4 * 1024 * 1024;

  private HubChannels() {}

  public static ManagedChannel open(
      String host, int port, HubTrust trust, int maxInboundBytes, Executor callbackExecutor) {
    Objects.requireNonNull(trust, "trust");
    return NettyChannelBuilder.forAddress(host, port)
        .sslContext(trust.clientContext())
        .maxInboundMessageSize(maxInboundBytes)
        .keepAliveTime(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS)
        .keepAliveTimeout(10, TimeUnit.SECONDS)
        .disableRetry()
        .executor(Objects.requireNonNull(callbackExecutor, "callbackExecutor"))
        .build();
  }
}
