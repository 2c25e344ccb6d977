package io.cortexhub.node.testing;

import io.cortexhub.proto.node.v1.HeartbeatAck;
import io.cortexhub.proto.node.v1.HubFrame;
import io.cortexhub.proto.node.v1.NodeFrame;
import io.cortexhub.proto.node.v1.NodeTunnelGrpc;
import io.cortexhub.proto.node.v1.OutputAck;
import io.cortexhub.proto.node.v1.SessionToken;
import io.cortexhub.proto.node.v1.TaskAssignment;
import io.cortexhub.proto.node.v1.Welcome;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The node agent's counterpart in tests: a {@code NodeTunnel} service that records every stream and
 * frame and lets the test answer. It acknowledges heartbeats by itself, as the real hub does;
 * everything else is up to the test.
 */
public final class FakeHub extends NodeTunnelGrpc.NodeTunnelImplBase {
  private final BlockingQueue<Stream> newStreams = new LinkedBlockingQueue<>();
  private final List<Stream> streams = new CopyOnWriteArrayList<>();

  @Override
  public StreamObserver<NodeFrame> connect(StreamObserver<HubFrame> responses) {
    Stream s = new Stream(responses);
    streams.add(s);
    newStreams.add(s);
    return s;
  }

  public List<Stream> streams() {
    return streams;
  }

  /** The next stream a node opens. */
  public Stream nextStream(Duration timeout) throws InterruptedException {
    Stream s = newStreams.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (s == null) {
      throw new AssertionError("no node connected within " + timeout);
    }
    return s;
  }

  /** One node's stream as the hub sees it. */
  public static final class Stream implements StreamObserver<NodeFrame> {
    private final StreamObserver<HubFrame> out;
    private final BlockingQueue<NodeFrame> received = new LinkedBlockingQueue<>();
    private final List<NodeFrame> all = new CopyOnWriteArrayList<>();
    private volatile Status endedWith;
    private volatile boolean completedByNode;

    Stream(StreamObserver<HubFrame> out) {
      this.out = out;
    }

    @Override
    public void onNext(NodeFrame frame) {
      all.add(frame);
      if (frame.hasHeartbeat()) {
        send(
            HubFrame.newBuilder()
                .setHeartbeatAck(
                    HeartbeatAck.newBuilder().setEchoSentAtUnixMs(frame.getHeartbeat().getSentAtUnixMs()))
                .build());
        return; // heartbeats are counted through all(), not queued
      }
      received.add(frame);
    }

    @Override
    public void onError(Throwable t) {
      endedWith = Status.fromThrowable(t);
    }

    @Override
    public void onCompleted() {
      completedByNode = true;
      synchronized (this) {
        try {
          out.onCompleted();
        } catch (IllegalStateException e) {
          // already closed by the test
        }
      }
    }

    public synchronized void send(HubFrame frame) {
      try {
        out.onNext(frame);
      } catch (IllegalStateException e) {
        // the call is already over
      }
    }

    public void welcome(String nodeId, int heartbeatMs) {
      send(
          HubFrame.newBuilder()
              .setWelcome(
                  Welcome.newBuilder()
                      .setSessionId("s-" + System.identityHashCode(this))
                      .setProtocolVersion(1)
                      .setHeartbeatIntervalMs(heartbeatMs)
                      .setNodeId(nodeId)
                      .setMaxFrameBytes(4 << 20))
              .build());
    }

    /** Sends a session token granting {@code capabilities} until 2100, as the hub does after Welcome. */
    public void grant(String... capabilities) {
      grant(java.time.Instant.parse("2100-01-01T00:00:00Z"), false, capabilities);
    }

    public void grant(java.time.Instant expiresAt, boolean renewNow, String... capabilities) {
      send(
          HubFrame.newBuilder()
              .setSessionToken(
                  SessionToken.newBuilder()
                      .setToken("session-token-" + System.identityHashCode(this))
                      .setExpiresAtUnixMs(expiresAt.toEpochMilli())
                      .addAllGrantedCapabilities(java.util.List.of(capabilities))
                      .setRenewCredentialsNow(renewNow))
              .build());
    }

    /** Sends a signed assignment. */
    public void assign(TaskAssignment assignment) {
      send(HubFrame.newBuilder().setAssignment(assignment).build());
    }

    public void ack(String taskId, long seq) {
      send(HubFrame.newBuilder().setOutputAck(OutputAck.newBuilder().setTaskId(taskId).setSeq(seq)).build());
    }

    /** Ends the stream from the hub's side with an error (a crash, a restart). */
    public synchronized void fail(Status status) {
      try {
        out.onError(status.asRuntimeException());
      } catch (IllegalStateException e) {
        // already closed
      }
    }

    /** The next non-heartbeat frame from the node. */
    public NodeFrame next(Duration timeout) throws InterruptedException {
      NodeFrame f = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (f == null) {
        throw new AssertionError("no frame from the node within " + timeout + "; got so far: " + all);
      }
      return f;
    }

    public NodeFrame next() throws InterruptedException {
      return next(Duration.ofSeconds(10));
    }

    /** Skips frames until one matches. */
    public NodeFrame nextMatching(Predicate<NodeFrame> p) throws InterruptedException {
      while (true) {
        NodeFrame f = next();
        if (p.test(f)) {
          return f;
        }
      }
    }

    /** A non-heartbeat frame if one arrives within {@code timeout}, else null. */
    public NodeFrame poll(Duration timeout) throws InterruptedException {
      return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public long heartbeats() {
      return all.stream().filter(NodeFrame::hasHeartbeat).count();
    }

    public List<NodeFrame> all() {
      return all;
    }

    public boolean completedByNode() {
      return completedByNode;
    }

    public Status endedWith() {
      return endedWith;
    }
  }
}
