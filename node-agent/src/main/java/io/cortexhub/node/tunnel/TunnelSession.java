package io.cortexhub.node.tunnel;

import io.cortexhub.proto.node.v1.HubFrame;
import io.cortexhub.proto.node.v1.NodeFrame;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;

/**
 * One {@code NodeTunnel.Connect} stream: the node's half of the conversation and its readiness.
 *
 * <p>gRPC calls this observer on its own threads; every callback is handed to the node's serial
 * executor before it touches any state, and callbacks of a session that has ended are dropped. The
 * fields below are confined to that executor.
 */
final class TunnelSession implements ClientResponseObserver<NodeFrame, HubFrame> {
  /** What the node does with the stream's events; called on the node's serial executor. */
  interface Listener {
    void onFrame(TunnelSession session, HubFrame frame);

    void onReady(TunnelSession session);

    void onEnded(TunnelSession session, Status status);
  }

  private final Executor loop;
  private final Listener listener;
  private final long number;
  private ClientCallStreamObserver<NodeFrame> requests;
  private boolean ended;
  private boolean halfClosed;

  boolean welcomed;
  String sessionId = "";
  long openedAtMs;
  long welcomedAtMs;
  long lastHeardAtMs;
  long heartbeatIntervalMs;
  ScheduledFuture<?> heartbeat;
  ScheduledFuture<?> welcomeTimer;

  TunnelSession(Executor loop, Listener listener, long number) {
    this.loop = loop;
    this.listener = listener;
    this.number = number;
  }

  /** 1 for the first stream of this agent, 2 for the next, ... (for logs). */
  long number() {
    return number;
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<NodeFrame> requestStream) {
    this.requests = requestStream;
    requestStream.setOnReadyHandler(
        () ->
            loop.execute(
                () -> {
                  if (!ended) {
                    listener.onReady(this);
                  }
                }));
  }

  @Override
  public void onNext(HubFrame frame) {
    loop.execute(
        () -> {
          if (!ended) {
            listener.onFrame(this, frame);
          }
        });
  }

  @Override
  public void onError(Throwable t) {
    loop.execute(() -> end(Status.fromThrowable(t)));
  }

  @Override
  public void onCompleted() {
    loop.execute(() -> end(Status.UNAVAILABLE.withDescription("the hub closed the stream")));
  }

  boolean isOpen() {
    return !ended && !halfClosed;
  }

  /** Whether gRPC will take another frame without buffering beyond its window. */
  boolean isReady() {
    return isOpen() && requests.isReady();
  }

  /** Sends a frame if the stream is still open; returns whether it was handed to gRPC. */
  boolean send(NodeFrame frame) {
    if (!isOpen()) {
      return false;
    }
    try {
      requests.onNext(frame);
      return true;
    } catch (IllegalStateException e) {
      return false; // the call was cancelled under us; onError follows
    }
  }

  /** Ends our half of the stream politely; the hub's completion ends the session. */
  void close() {
    if (isOpen()) {
      halfClosed = true;
      try {
        requests.onCompleted();
      } catch (IllegalStateException e) {
        // already cancelled; onError follows
      }
    }
  }

  /** Gives up on the stream at once (protocol violation, silent hub, shutdown). */
  void abort(String why) {
    if (!ended) {
      halfClosed = true;
      requests.cancel(why, null);
    }
  }

  private void end(Status status) {
    if (ended) {
      return;
    }
    ended = true;
    halfClosed = true;
    if (heartbeat != null) {
      heartbeat.cancel(false);
    }
    if (welcomeTimer != null) {
      welcomeTimer.cancel(false);
    }
    listener.onEnded(this, status);
  }
}
