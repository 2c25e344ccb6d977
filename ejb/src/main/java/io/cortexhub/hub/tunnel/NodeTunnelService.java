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

/**
 * The {@code NodeTunnel} gRPC service: one {@link TunnelSession} per Connect stream. Thread-safe.
 */
public final class NodeTunnelService extends NodeTunnelGrpc.NodeTunnelImplBase {
  private final NodeMessageListener listener;
  private final NodeIdentityResolver identities;
  private final GrpcNodeConnectionFactory connections;
  private final Clock clock;
  private final Duration heartbeatInterval;
  private final int maxFrameBytes;
  private final int sendQueueFrames;
  private final Set<TunnelSession> sessions = ConcurrentHashMap.newKeySet();

  /** A service that takes every node at its Hello name: in-process tests only. */
  public NodeTunnelService(NodeMessageListener listener, GrpcNodeConnectionFactory connections,
      Clock clock, Duration heartbeatInterval, int maxFrameBytes, int sendQueueFrames) {
    this(listener, connections, NodeIdentityResolver.trustingHelloNames(), clock,
        heartbeatInterval, maxFrameBytes, sendQueueFrames);
  }

  public NodeTunnelService(NodeMessageListener listener, GrpcNodeConnectionFactory connections,
      NodeIdentityResolver identities, Clock clock, Duration heartbeatInterval, int maxFrameBytes,
      int sendQueueFrames) {
    this.listener = Objects.requireNonNull(listener, "listener");
    this.identities = Objects.requireNonNull(identities, "identities");
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

  public int openSessions() {
    return sessions.size();
  }

  void forget(TunnelSession s) {
    sessions.remove(s);
  }

  NodeMessageListener listener() {
    return listener;
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
