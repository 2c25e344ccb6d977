package io.cortexhub.e2e.support;

import io.cortexhub.proto.node.v1.HubFrame;
import io.cortexhub.proto.node.v1.NodeFrame;
import io.cortexhub.proto.node.v1.NodeTunnelGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.stub.StreamObserver;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A hand-driven tunnel client for tests that must send what a well-behaved node never would: frames out of
 * order, unsupported versions, oversized or empty frames, certificates the hub must refuse. It presents
 * whatever TLS identity it is given: an enrolled {@link TunnelIdentity} (so bad frames reach the session
 * behind the hub's mutual TLS), a forged certificate, or none. It is also the channel under {@link
 * TestNode}, the in-JVM node of the deployment tests.
 *
 * <p>Thread-safe as a gRPC channel is; each stream's outbound observer is not (see {@link Conversation}).
 */
public final class RawTunnelClient implements AutoCloseable {
  private final ManagedChannel channel;

  /** A channel to {@code host:port} with this client TLS context. */
  public RawTunnelClient(String host, int port, SslContext tls) {
    channel = TunnelIdentity.channel(host, port, tls);
  }

  /** As the enrolled {@code identity}, to {@code hub}'s tunnel. */
  public static RawTunnelClient as(HubProcess hub, TunnelIdentity identity) {
    return new RawTunnelClient(hub.tunnelHost(), hub.tunnelPort(), identity.sslContext());
  }

  /** Without a client certificate, trusting the hub's CA bundle: as a node before enrollment. */
  public static RawTunnelClient anonymous(HubProcess hub) {
    return new RawTunnelClient(hub.tunnelHost(), hub.tunnelPort(), TunnelIdentity.serverTrust(hub.caBundle()));
  }

  /** Presenting {@code certificates} (leaf first) for {@code key}, trusting the hub's CA bundle. */
  public static RawTunnelClient presenting(HubProcess hub, PrivateKey key, List<X509Certificate> certificates) {
    return new RawTunnelClient(
        hub.tunnelHost(), hub.tunnelPort(),
        TunnelIdentity.clientContext(key, certificates, Pki.readCertificates(hub.caBundle())));
  }

  /** The open channel, for stubs of the other services on the tunnel's port (e.g. {@code Renew}). */
  public ManagedChannel channel() {
    return channel;
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
