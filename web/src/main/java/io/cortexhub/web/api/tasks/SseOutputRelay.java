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
 * client may reconnect with {@code Last-Event-ID}.
 *
 * <p>Thread-safety: the hub calls a listener from one thread at a time, but possibly before {@link
 * #attach} has run and on another thread than the request's; closing is therefore guarded by an
 * atomic flag and the subscription handed over through an atomic reference.
 */
final class SseOutputRelay implements OutputListener {

  /** Name of the last event of a stream. */
  static final String FINISHED_EVENT = "finished";

  private static final Logger LOG = Logger.getLogger(SseOutputRelay.class.getName());

  private final SseEventSink sink;
  private final Sse sse;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicReference<OutputSubscription> subscription = new AtomicReference<>();

  SseOutputRelay(SseEventSink sink, Sse sse) {
    this.sink = Objects.requireNonNull(sink, "sink");
    this.sse = Objects.requireNonNull(sse, "sse");
  }

  /** Hands over the subscription to close at the end; closes it at once if the end came first. */
  void attach(OutputSubscription handle) {
    subscription.set(handle);
    if (closed.get()) {
      closeSubscription();
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
    send(event);
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
    sink.send(event).whenComplete((ignored, failure) -> close());
  }

  @Override
  public void onOverflow() {
    close();
  }

  private void send(OutboundSseEvent event) {
    if (sink.isClosed()) {
      close();
      return;
    }
    sink.send(event).whenComplete((ignored, failure) -> {
      if (failure != null) {
        LOG.log(Level.FINE, "SSE client went away; ending its output subscription", failure);
        close();
      }
    });
  }

  private void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        sink.close();
      } finally {
        closeSubscription();
      }
    }
  }

  private void closeSubscription() {
    OutputSubscription handle = subscription.getAndSet(null);
    if (handle != null) {
      handle.close();
    }
  }
}
