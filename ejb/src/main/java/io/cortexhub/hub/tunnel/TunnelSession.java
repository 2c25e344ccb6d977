package io.cortexhub.hub.tunnel;

import io.cortexhub.hub.connector.api.NodeConnection;
import io.cortexhub.hub.connector.inbound.NodeHello;
import io.cortexhub.hub.connector.inbound.NodeMessageListener;
import io.cortexhub.hub.connector.inbound.NodeRefusedException;
import io.cortexhub.hub.connector.outbound.FrameQueue;
import io.cortexhub.hub.connector.outbound.GrpcNodeConnection;
import io.cortexhub.hub.connector.outbound.GrpcNodeConnectionFactory;
import io.cortexhub.hub.registry.NodeId;
import io.cortexhub.proto.node.v1.HeartbeatAck;
import io.cortexhub.proto.node.v1.HubFrame;
import io.cortexhub.proto.node.v1.NodeFrame;
import io.cortexhub.proto.node.v1.SessionToken;
import io.cortexhub.proto.node.v1.Welcome;
import io.cortexhub.hub.registry.NodeIdentity;
import io.cortexhub.hub.session.SessionGrant;
import java.util.Optional;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One node's stream: Hello first, then events forwarded to the {@link NodeMessageListener}.
 *
 * <p>Inbound flow control is manual: the next frame is requested only after the current one was
 * handed over, so a node that outpaces the hub is slowed by HTTP/2 flow control rather than
 * buffered. Any protocol violation ends the stream with a status naming it, is logged, and leaves
 * the hub and every other session untouched. gRPC calls these methods serially for one stream.
 */
final class TunnelSession implements StreamObserver<NodeFrame> {
  private static final Logger LOG = Logger.getLogger(TunnelSession.class.getName());
  static final int INITIAL_REQUEST = 32;

  private final NodeTunnelService service;
  private final ServerCallStreamObserver<HubFrame> call;
  private final FrameQueue frames;
  private final String sessionId = UUID.randomUUID().toString();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile NodeId node;
  private volatile GrpcNodeConnection connection;
  private volatile NodeHello hello;
  private volatile SessionGrant grant;
  private String nodeName = "?";

  TunnelSession(NodeTunnelService service, ServerCallStreamObserver<HubFrame> call) {
    this.service = service;
    this.call = call;
    this.frames = new FrameQueue(call, service.sendQueueFrames());
    frames.onClose(status -> ended("hub closed the stream: " + describe(status)));
    call.setOnReadyHandler(frames::drain);
    call.setOnCancelHandler(() -> {
      frames.peerClosed();
      ended("stream cancelled by the node or transport");
    });
  }

  @Override
  public void onNext(NodeFrame frame) {
    if (closed.get()) {
      return;
    }
    try {
      handle(frame);
      call.request(1);
    } catch (FrameRejectedException e) {
      refuse(e.status());
    } catch (NodeRefusedException e) {
      refuse(Status.PERMISSION_DENIED.withDescription(e.getMessage()));
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "session=" + sessionId + " node=" + nodeName
          + ": hub failed handling a frame", e);
      refuse(Status.UNAVAILABLE.withDescription("hub error; reconnect later"));
    }
  }

  private void handle(NodeFrame frame) {
    int size = frame.getSerializedSize();
    if (size > service.maxFrameBytes()) {
      // Checked here, below the transport's hard ceiling, so the node gets a status with a reason
      // (a transport-level refusal reaches the client only as CANCELLED).
      throw new FrameRejectedException(Status.RESOURCE_EXHAUSTED.withDescription("frame of "
          + size + " bytes exceeds the limit of " + service.maxFrameBytes()
          + " bytes (Welcome.max_frame_bytes)"));
    }
    NodeMessageListener l = service.listener();
    if (node == null) {
      if (frame.getKindCase() != NodeFrame.KindCase.HELLO) {
        throw frame.getKindCase() == NodeFrame.KindCase.KIND_NOT_SET
            ? FrameRejectedException.invalid("empty frame: no kind set")
            : FrameRejectedException.precondition(
                "the first frame must be Hello, got " + frame.getKindCase());
      }
      hello(frame);
      return;
    }
    switch (frame.getKindCase()) {
      case HELLO -> throw FrameRejectedException.precondition(
          "second Hello on one stream; open a new stream to reconnect");
      case HEARTBEAT -> {
        frames.send(HubFrame.newBuilder().setHeartbeatAck(HeartbeatAck.newBuilder()
            .setEchoSentAtUnixMs(frame.getHeartbeat().getSentAtUnixMs())
            .setHubTimeUnixMs(service.clock().millis())).build());
        SessionGrant g = grant;
        // Refreshed on the heartbeat path: no timer per session, and a node that stopped
        // heartbeating is about to be OFFLINE anyway.
        if (g != null && !service.clock().instant().isBefore(g.refreshAt())) {
          sendSessionToken(false);
        }
        l.onHeartbeat(node, FrameTranslator.heartbeat(frame.getHeartbeat()));
      }
      case TASK_ACCEPTED -> l.onTaskAccepted(node,
          FrameTranslator.taskId(frame.getTaskAccepted().getTaskId(), "task_accepted.task_id"));
      case TASK_REJECTED -> l.onTaskRejected(node, FrameTranslator.rejected(frame.getTaskRejected()));
      case TASK_STARTED -> l.onTaskStarted(node, FrameTranslator.started(frame.getTaskStarted()));
      case OUTPUT -> l.onOutput(node, List.of(FrameTranslator.output(frame.getOutput())));
      case BINARY -> l.onOutput(node, List.of(FrameTranslator.binary(frame.getBinary())));
      case TASK_FINISHED -> l.onTaskFinished(node,
          FrameTranslator.finished(frame.getTaskFinished()));
      case AWAITING_CONSENT -> l.onTaskAwaitingConsent(node,
          FrameTranslator.awaitingConsent(frame.getAwaitingConsent()));
      case AUDIT_CHECKPOINT -> l.onAuditCheckpoint(connection,
          FrameTranslator.checkpoint(frame.getAuditCheckpoint()));
      case AUDIT_RECORDS -> l.onAuditRecords(node,
          FrameTranslator.auditRecords(frame.getAuditRecords()));
      case KIND_NOT_SET -> throw FrameRejectedException.invalid("empty frame: no kind set");
    }
  }

  private void hello(NodeFrame frame) {
    NodeHello hello = FrameTranslator.hello(frame.getHello(),
        () -> service.identities().identify(frame.getHello().getNodeName()));
    nodeName = hello.name();
    NodeId id = service.listener().onHello(hello);
    this.hello = hello;
    GrpcNodeConnection conn = new GrpcNodeConnection(id, sessionId, frames);
    node = id;
    connection = conn;
    GrpcNodeConnectionFactory factory = service.connections();
    factory.register(conn);
    frames.send(HubFrame.newBuilder().setWelcome(Welcome.newBuilder()
        .setSessionId(sessionId)
        .setProtocolVersion(FrameTranslator.PROTOCOL_VERSION)
        .setHeartbeatIntervalMs((int) service.heartbeatInterval().toMillis())
        .setHubTimeUnixMs(service.clock().millis())
        .setNodeId(id.value())
        .setMaxFrameBytes(service.maxFrameBytes())).build());
    sendSessionToken(false);
    LOG.fine(() -> "session=" + sessionId + " node=" + id + " name=" + hello.name()
        + " welcomed (" + frame.getHello().getResumeCount() + " tasks to resume)");
    service.listener().onSessionOpened(conn, FrameTranslator.resume(frame.getHello()));
  }

  /** Mints and queues a fresh session token (once the session is open). */
  void sendSessionToken(boolean renewCredentialsNow) {
    NodeHello h = hello;
    if (h == null || closed.get()) {
      return;
    }
    service.tokens().grant(h).ifPresent(g -> {
      grant = g;
      frames.send(HubFrame.newBuilder().setSessionToken(SessionToken.newBuilder()
          .setToken(g.token())
          .setExpiresAtUnixMs(g.expiresAt().toEpochMilli())
          .addAllGrantedCapabilities(g.capabilities())
          .setRenewCredentialsNow(renewCredentialsNow)).build());
    });
  }

  /** The node's identity, once it said Hello. */
  Optional<NodeIdentity> identity() {
    return Optional.ofNullable(hello).map(NodeHello::identity);
  }

  private void refuse(Status status) {
    LOG.warning(() -> "session=" + sessionId + " node=" + nodeName + " refused: "
        + describe(status));
    frames.close(status);
  }

  @Override
  public void onError(Throwable t) {
    frames.peerClosed();
    ended("stream failed: " + describe(Status.fromThrowable(t)));
  }

  @Override
  public void onCompleted() {
    // The node hung up politely; finish our half too.
    frames.close(Status.OK);
    ended("node closed the stream");
  }

  /** Ends the session from the hub's side (shutdown). */
  void close(Status status) {
    frames.close(status);
  }

  private void ended(String reason) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    service.forget(this);
    GrpcNodeConnection conn = connection;
    if (conn != null) {
      service.connections().unregister(conn);
      LOG.info(() -> "session=" + sessionId + " node=" + node + " name=" + nodeName + " ended: "
          + reason);
      try {
        service.listener().onSessionClosed(conn.node(), sessionId, reason);
      } catch (RuntimeException e) {
        LOG.log(Level.SEVERE, "session=" + sessionId + ": close handling failed", e);
      }
    }
  }

  private static String describe(Status s) {
    return s.getCode() + (s.getDescription() == null ? "" : " (" + s.getDescription() + ")");
  }

  NodeConnection connection() {
    return connection;
  }
}
