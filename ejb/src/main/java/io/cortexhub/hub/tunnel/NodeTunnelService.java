package io.cortexhub.hub.tunnel;

import io.cortexhub.hub.connector.inbound.NodeMessageListener;
import io.cortexhub.hub.connector.outbound.GrpcNodeConnectionFactory;
import io.cortexhub.proto.node.v1.HubFrame;
import io.cortexhub.proto.node.v1.NodeFrame;
import io.cortexhub.proto.node.v1.NodeTunnelGrpc;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import io.cortexhub.hub.registry.NodeIdentity;

/**
 * The {@code NodeTunnel} gRPC service: one {@link TunnelSession} per Connect stream. Thread-safe.
 */
public final class NodeTunnelService extends NodeTunnelGrpc.NodeTunnelImplBase {
  private final NodeMessageListener listener;
  private final NodeIdentityResolver identities;
  private final SessionTokenSource tokens;
  private final GrpcNodeConnectionFactory connections;
  private final Clock clock;
  private final Duration heartbeatInterval;
  private final int maxFrameBytes;
  private final int sendQueueFrames;
  private final Set<TunnelSession> sessions = ConcurrentHashMap.newKeySet();

  /** A service that takes every node at its Hello name: in-process tests only. */
  public NodeTunnelService(NodeMessageListener listener, GrpcNodeConnectionFactory connections,
      Clock clock, Duration heartbeatInterval, int maxFrameBytes, int sendQueueFrames) {
    this(listener, connections, NodeIdentityResolver.trustingHelloNames(),
        SessionTokenSource.none(), clock, heartbeatInterval, maxFrameBytes, sendQueueFrames);
  }

  /**
   * @param identities who the node on a stream is (in production: {@link
   *     PeerAuthInterceptor#identities()}, from its client certificate)
   * @param tokens session tokens sent after Welcome and refreshed at two thirds of their lifetime
   */
  public NodeTunnelService(NodeMessageListener listener, GrpcNodeConnectionFactory connections,
      NodeIdentityResolver identities, SessionTokenSource tokens, Clock clock,
      Duration heartbeatInterval, int maxFrameBytes, int sendQueueFrames) {
    this.listener = Objects.requireNonNull(listener, "listener");
    this.identities = Objects.requireNonNull(identities, "identities");
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.connections = Objects.requireNonNull(connections, "connections");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.heartbeatInterval = Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
    this.maxFrameBytes = maxFrameBytes;
    this.sendQueueFrames = sendQueueFrames;
  }

  @Override
  public StreamObserver<NodeFrame> connect(StreamObserver<HubFrame> responseObserver) {
    ServerCallStreamObserver<HubFrame> call = (ServerCallStreamObserver<HubFrame>) responseObserver;
    call.disableAutoRequest();
    TunnelSession session = new TunnelSession(this, call);
    sessions.add(session);
    call.request(TunnelSession.INITIAL_REQUEST);
    return session;
  }

  /** Ends every open stream with UNAVAILABLE so nodes reconnect (with backoff) elsewhere/later. */
  public void closeAll(String reason) {
    for (TunnelSession s : List.copyOf(sessions)) {
      s.close(Status.UNAVAILABLE.withDescription(reason));
    }
  }

  /**
   * Sends every open session a fresh session token with {@code renew_credentials_now}: the nodes
   * renew their certificates at once (a CA rotation started).
   */
  public void requestCredentialRenewal() {
    for (TunnelSession s : List.copyOf(sessions)) {
      s.sendSessionToken(true);
    }
  }

  /** Sends a fresh session token to the sessions of the nodes {@code which} selects. */
  public void refreshSessionTokens(Predicate<NodeIdentity> which) {
    for (TunnelSession s : List.copyOf(sessions)) {
      s.identity().filter(which).ifPresent(i -> s.sendSessionToken(false));
    }
  }

  public int openSessions() {
    return sessions.size();
  }

  void forget(TunnelSession s) {
    sessions.remove(s);
  }

  NodeMessageListener listener() {
    return listener;
  }

  SessionTokenSource tokens() {
    return tokens;
  }

  NodeIdentityResolver identities() {
    return identities;
  }

  GrpcNodeConnectionFactory connections() {
    return connections;
  }

  Clock clock() {
    return clock;
  }

  Duration heartbeatInterval() {
    return heartbeatInterval;
  }

  int maxFrameBytes() {
    return maxFrameBytes;
  }

  int sendQueueFrames() {
    return sendQueueFrames;
  }
}
