package io.cortexhub.hub.connector.outbound;

import io.cortexhub.proto.node.v1.HubFrame;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The outbound half of one tunnel stream: a bounded queue of frames written to the gRPC stream
 * only while it {@code isReady()} (and again from its on-ready handler), so a slow node fills its
 * own queue instead of the hub's memory or anyone else's threads. When the queue is full the
 * stream is ended with UNAVAILABLE: the node reconnects and resumes, which loses nothing.
 *
 * <p>Thread-safe; one lock serialises every call on the underlying observer, which is not.
 */
public final class FrameQueue {
  private final ServerCallStreamObserver<HubFrame> stream;
  private final int capacity;
  private final ArrayDeque<HubFrame> queue = new ArrayDeque<>();
  private Consumer<Status> onClose = s -> { };
  private boolean closed;

  public FrameQueue(ServerCallStreamObserver<HubFrame> stream, int capacity) {
    this.stream = Objects.requireNonNull(stream, "stream");
    this.capacity = capacity;
  }

  /** Called once with the status when this side ends the stream. */
  public synchronized void onClose(Consumer<Status> callback) {
    this.onClose = Objects.requireNonNull(callback, "callback");
  }

  /** Queues a frame and writes what the stream accepts now; false if closed or overflowing. */
  public boolean send(HubFrame frame) {
    synchronized (this) {
      if (closed) {
        return false;
      }
      if (queue.size() >= capacity) {
        overflow();
        return false;
      }
      queue.addLast(frame);
      drainLocked();
    }
    return true;
  }

  private void overflow() {
    closeLocked(Status.UNAVAILABLE.withDescription(
        "hub send queue overflowed (" + capacity + " frames); reconnect and resume"));
  }

  /** Writes queued frames while the stream is ready; the stream's on-ready handler. */
  public synchronized void drain() {
    drainLocked();
  }

  private void drainLocked() {
    while (!closed && !queue.isEmpty() && stream.isReady()) {
      stream.onNext(queue.pollFirst());
    }
  }

  public synchronized boolean isOpen() {
    return !closed;
  }

  public synchronized int queued() {
    return queue.size();
  }

  /** Ends the stream with {@code status} (OK completes it normally). Idempotent. */
  public synchronized void close(Status status) {
    closeLocked(status);
  }

  private void closeLocked(Status status) {
    if (closed) {
      return;
    }
    closed = true;
    queue.clear();
    try {
      if (status.isOk()) {
        stream.onCompleted();
      } else {
        stream.onError(status.asRuntimeException());
      }
    } catch (IllegalStateException alreadyClosed) {
      // The call was already cancelled by the peer; nothing left to tell it.
    }
    onClose.accept(status);
  }

  /** Marks the stream ended by the peer (no frame can be sent any more). */
  public synchronized void peerClosed() {
    closed = true;
    queue.clear();
  }
}
