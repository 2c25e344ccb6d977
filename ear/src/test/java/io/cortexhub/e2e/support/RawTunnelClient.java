package io.cortexhub.e2e.support;

import io.cortexhub.proto.node.v1.HubFrame;
import io.cortexhub.proto.node.v1.NodeFrame;
import io.cortexhub.proto.node.v1.NodeTunnelGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;

/**
 * A hand-driven tunnel client for tests that must send what a well-behaved node never would: frames out of
 * order, unsupported versions, oversized or empty frames. Trusts the hub through its CA file, as a node does.
 * It is also the channel under {@link TestNode}, the in-JVM node of the deployment tests.
 *
 * <p>Thread-safe as a gRPC channel is; each stream's outbound observer is not (see {@link Conversation}).
 */
public final class RawTunnelClient implements AutoCloseable {
  private final ManagedChannel channel;

  public RawTunnelClient(HubProcess hub) {
    this(tunnelHost(hub), tunnelPort(hub), hub.caFile());
  }

  /** A TLS channel to {@code host:port}, trusting the CA certificate in {@code caFile}. */
  public RawTunnelClient(String host, int port, Path caFile) {
    try {
      channel =
          NettyChannelBuilder.forAddress(host, port)
              // The hub's certificate names localhost whatever loopback address the tunnel is reached on.
              .overrideAuthority("localhost")
              .sslContext(GrpcSslContexts.forClient().trustManager(caFile.toFile()).build())
              .maxInboundMessageSize(16 * 1024 * 1024)
              .build();
    } catch (SSLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String tunnelHost(HubProcess hub) {
    return hub.tunnelAddress().split(":")[0];
  }

  private static int tunnelPort(HubProcess hub) {
    return Integer.parseInt(hub.tunnelAddress().split(":")[1]);
  }

  /** Opens one {@code Connect} stream; {@code fromHub} sees every frame and the end. */
  public StreamObserver<NodeFrame> connect(StreamObserver<HubFrame> fromHub) {
    return NodeTunnelGrpc.newStub(channel).connect(fromHub);
  }

  /** One stream: what the hub sent and how it ended. */
  public static final class Conversation {
    private final List<HubFrame> received = new CopyOnWriteArrayList<>();
    private final AtomicReference<Status> ended = new AtomicReference<>();
    private StreamObserver<NodeFrame> outbound;

    public void send(NodeFrame frame) {
      outbound.onNext(frame);
    }

    public List<HubFrame> received() {
      return List.copyOf(received);
    }

    /** The status the hub closed the stream with, once it has. */
    public Optional<Status> ended() {
      return Optional.ofNullable(ended.get());
    }

    /** Waits until the hub ends the stream and returns the status. */
    public Status awaitEnd(Duration timeout) {
      return Await.value("the hub to end the stream", timeout, this::ended);
    }

    public void close() {
      try {
        outbound.onCompleted();
      } catch (IllegalStateException alreadyClosed) {
        // the hub ended the call first; nothing left to close
      }
    }
  }

  public Conversation open() {
    Conversation conversation = new Conversation();
    conversation.outbound =
        connect(
            new StreamObserver<>() {
              @Override
              public void onNext(HubFrame frame) {
                conversation.received.add(frame);
              }

              @Override
              public void onError(Throwable t) {
                conversation.ended.set(Status.fromThrowable(t));
              }

              @Override
              public void onCompleted() {
                conversation.ended.set(Status.OK);
              }
            });
    return conversation;
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
