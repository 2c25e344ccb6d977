package io.cortexhub.web.testing;

import jakarta.ws.rs.core.GenericType;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseBroadcaster;
import jakarta.ws.rs.sse.SseEventSink;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * An {@link Sse} and {@link SseEventSink} pair that records the events sent, so SSE code can be
 * tested without a server. {@link #disconnect()} makes later sends fail as they do when the client
 * has gone. Not thread-safe.
 */
public final class FakeSse implements Sse, SseEventSink {

  private final List<OutboundSseEvent> sent = new ArrayList<>();
  private boolean closed;
  private boolean disconnected;

  public List<OutboundSseEvent> sent() {
    return List.copyOf(sent);
  }

  /** The client goes away: every later send fails. */
  public void disconnect() {
    disconnected = true;
  }

  @Override
  public OutboundSseEvent.Builder newEventBuilder() {
    return new EventBuilder();
  }

  @Override
  public SseBroadcaster newBroadcaster() {
    throw new UnsupportedOperationException("not needed by the tests");
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public CompletionStage<?> send(OutboundSseEvent event) {
    if (closed || disconnected) {
      return CompletableFuture.failedFuture(new IllegalStateException("client gone"));
    }
    sent.add(event);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void close() {
    closed = true;
  }

  /** A sent event as the builder assembled it. */
  public record Event(String id, String name, String comment, long reconnectDelay,
      MediaType mediaType, Class<?> type, Object data) implements OutboundSseEvent {
    @Override
    public String getId() {
      return id;
    }

    @Override
    public String getName() {
      return name;
    }

    @Override
    public String getComment() {
      return comment;
    }

    @Override
    public long getReconnectDelay() {
      return reconnectDelay;
    }

    @Override
    public boolean isReconnectDelaySet() {
      return reconnectDelay >= 0;
    }

    @Override
    public Class<?> getType() {
      return type;
    }

    @Override
    public Type getGenericType() {
      return type;
    }

    @Override
    public MediaType getMediaType() {
      return mediaType;
    }

    @Override
    public Object getData() {
      return data;
    }
  }

  private static final class EventBuilder implements OutboundSseEvent.Builder {
    private String id;
    private String name;
    private String comment;
    private long reconnectDelay = -1;
    private MediaType mediaType = MediaType.TEXT_PLAIN_TYPE;
    private Class<?> type;
    private Object data;

    @Override
    public OutboundSseEvent.Builder id(String id) {
      this.id = id;
      return this;
    }

    @Override
    public OutboundSseEvent.Builder name(String name) {
      this.name = name;
      return this;
    }

    @Override
    public OutboundSseEvent.Builder reconnectDelay(long milliseconds) {
      this.reconnectDelay = milliseconds;
      return this;
    }

    @Override
    public OutboundSseEvent.Builder mediaType(MediaType mediaType) {
      this.mediaType = mediaType;
      return this;
    }

    @Override
    public OutboundSseEvent.Builder comment(String comment) {
      this.comment = comment;
      return this;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public OutboundSseEvent.Builder data(Class type, Object data) {
      this.type = type;
      this.data = data;
      return this;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public OutboundSseEvent.Builder data(GenericType type, Object data) {
      this.type = type.getRawType();
      this.data = data;
      return this;
    }

    @Override
    public OutboundSseEvent.Builder data(Object data) {
      this.type = data.getClass();
      this.data = data;
      return this;
    }

    @Override
    public OutboundSseEvent build() {
      return new Event(id, name, comment, reconnectDelay, mediaType, type, data);
    }
  }
}
