package io.cortexhub.web.api.tasks;

import io.cortexhub.hub.dispatch.TaskView;
import io.cortexhub.hub.output.OutputListener;
import io.cortexhub.hub.output.OutputRecord;
import io.cortexhub.hub.output.OutputSubscription;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Relays one output subscription to one SSE client.
 *
 * <p>Each chunk becomes an event whose id is its seq, so a reconnecting client's {@code
 * Last-Event-ID} resumes exactly after it. The task's end becomes a {@code finished} event carrying
 * the task as JSON, after which both the stream and the subscription are closed. A client that went
 * away (a failed send) or a subscriber that fell behind ({@link #onOverflow()}) also ends both; the
 * client may reconnect with {@code Last-Event-ID}. While the task prints nothing, a {@code :
 * keep-alive} comment goes out every {@link SseKeepAlive#interval()}, so that a client that vanished
 * meanwhile is noticed by a failed send rather than kept until the next chunk; a tick after which
 * something else was sent is skipped.
 *
 * <p>Thread-safety: the hub calls a listener from one thread at a time, but possibly before {@link
 * #attach} has run and on another thread than the request's, and keep-alive ticks come from the
 * scheduler's threads. Sends are serialised by a lock (an {@link SseEventSink} is not specified to
 * be thread-safe); closing is guarded by an atomic flag, and the subscription and the tick handed
 * over through atomic references.
 */
final class SseOutputRelay implements OutputListener {

  /** Name of the last event of a stream. */
  static final String FINISHED_EVENT = "finished";

  /** Text of the comment that keeps an idle stream alive. */
  static final String KEEP_ALIVE_COMMENT = "keep-alive";

  private static final Logger LOG = Logger.getLogger(SseOutputRelay.class.getName());

  private final SseEventSink sink;
  private final Sse sse;
  private final SseKeepAlive keepAlive;
  private final Object sending = new Object();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicReference<OutputSubscription> subscription = new AtomicReference<>();
  private final AtomicReference<ScheduledFuture<?>> ticks = new AtomicReference<>();
  private volatile boolean sentSinceTick;

  SseOutputRelay(SseEventSink sink, Sse sse, SseKeepAlive keepAlive) {
    this.sink = Objects.requireNonNull(sink, "sink");
    this.sse = Objects.requireNonNull(sse, "sse");
    this.keepAlive = Objects.requireNonNull(keepAlive, "keepAlive");
  }

  /**
   * Hands over the subscription to close at the end and starts the keep-alive ticks; if the end came
   * first, closes the subscription at once and starts nothing.
   */
  void attach(OutputSubscription handle) {
    subscription.set(handle);
    if (closed.get()) {
      closeSubscription();
      return;
    }
    ticks.set(keepAlive.every(this::keepAlive));
    // close() may have run between the check above and set(): it found no tick to cancel.
    if (closed.get()) {
      cancelTicks();
    }
  }

  @Override
  public void onChunk(OutputRecord chunk) {
    if (closed.get()) {
      return;
    }
    OutboundSseEvent event = sse.newEventBuilder()
        .id(Long.toString(chunk.seq()))
        .name(OutputChunkJson.streamName(chunk.stream()))
        .data(String.class, OutputChunkJson.text(chunk))
        .build();
    sentSinceTick = true;
    send(event, false);
  }

  @Override
  public void onFinished(TaskView task) {
    if (closed.get()) {
      return;
    }
    OutboundSseEvent event = sse.newEventBuilder()
        .name(FINISHED_EVENT)
        .mediaType(MediaType.APPLICATION_JSON_TYPE)
        .data(TaskJson.class, TaskJson.of(task))
        .build();
    send(event, true);
  }

  @Override
  public void onOverflow() {
    close();
  }

  /** One tick: a comment, unless the stream carried something since the last tick. */
  private void keepAlive() {
    if (closed.get()) {
      return;
    }
    if (sentSinceTick) {
      sentSinceTick = false;
      return;
    }
    send(sse.newEventBuilder().comment(KEEP_ALIVE_COMMENT).build(), false);
  }

  /** Sends one event; {@code last} closes the stream after it whatever the outcome. */
  private void send(OutboundSseEvent event, boolean last) {
    synchronized (sending) {
      if (closed.get()) {
        return;
      }
      if (sink.isClosed()) {
        close();
        return;
      }
      sink.send(event).whenComplete((ignored, failure) -> {
        if (failure != null) {
          LOG.log(Level.FINE, "SSE client went away; ending its output subscription", failure);
          close();
        } else if (last) {
          close();
        }
      });
    }
  }

  private void close() {
    if (closed.compareAndSet(false, true)) {
      cancelTicks();
      try {
        sink.close();
      } finally {
        closeSubscription();
      }
    }
  }

  private void cancelTicks() {
    ScheduledFuture<?> handle = ticks.getAndSet(null);
    if (handle != null) {
      handle.cancel(false);
    }
  }

  private void closeSubscription() {
    OutputSubscription handle = subscription.getAndSet(null);
    if (handle != null) {
      handle.close();
    }
  }
}
