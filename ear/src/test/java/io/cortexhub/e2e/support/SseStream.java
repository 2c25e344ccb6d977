package io.cortexhub.e2e.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Server-Sent Events client reading one stream in the background and keeping every event with the
 * time it arrived, so a test can check both content and liveness (an event arrived before the task ended).
 * Parses as a browser's EventSource does: comment lines (the hub's {@code : keep-alive}) and unknown
 * fields are skipped, multi-line data is joined with newlines, and a block without data is no event.
 *
 * <p>Thread-safe: one reader thread appends, any thread may look.
 */
public final class SseStream implements AutoCloseable {

  /** One event as received. */
  public record Event(String id, String name, String data, long receivedAtNanos) {}

  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final ExecutorService reader = Executors.newSingleThreadExecutor();
  private volatile InputStream body;
  private volatile boolean ended;
  private volatile Throwable failure;
  private final AtomicInteger comments = new AtomicInteger();

  private SseStream() {}

  /** Starts sending {@code request} and reading the answer as an event stream in the background. */
  static SseStream open(HttpClient http, HttpRequest request) {
    SseStream stream = new SseStream();
    stream.reader.execute(() -> stream.read(http, request));
    // The one task ends with the stream; let its thread go then rather than at close().
    stream.reader.shutdown();
    return stream;
  }

  private void read(HttpClient http, HttpRequest request) {
    try {
      HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      body = response.body();
      if (response.statusCode() != 200) {
        throw new IllegalStateException("SSE answered HTTP " + response.statusCode() + ": "
            + new String(body.readAllBytes(), StandardCharsets.UTF_8));
      }
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
        String id = null;
        String name = "message";
        List<String> data = new ArrayList<>();
        String line;
        while ((line = lines.readLine()) != null) {
          if (line.isEmpty()) {
            if (!data.isEmpty()) {
              events.add(new Event(id, name, String.join("\n", data), System.nanoTime()));
            }
            id = null;
            name = "message";
            data = new ArrayList<>();
          } else if (line.startsWith(":")) {
            comments.incrementAndGet();
          } else if (line.startsWith("id:")) {
            id = line.substring(3).strip();
          } else if (line.startsWith("event:")) {
            name = line.substring(6).strip();
          } else if (line.startsWith("data:")) {
            data.add(line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5));
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      failure = e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      ended = true;
    }
  }

  public List<Event> events() {
    return List.copyOf(events);
  }

  /** Events carrying output (stdout/stderr/binary), in arrival order. */
  public List<Event> outputEvents() {
    return events.stream().filter(e -> !"finished".equals(e.name())).toList();
  }

  public Optional<Event> finishedEvent() {
    return events.stream().filter(e -> "finished".equals(e.name())).findFirst();
  }

  /** How many comment lines (such as the hub's {@code : keep-alive}) arrived so far. */
  public int comments() {
    return comments.get();
  }

  /** True once the server closed the stream (or it failed). */
  public boolean ended() {
    return ended;
  }

  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  /**
   * Waits until the server ends the stream and returns every event; throws {@link AssertionError} if it
   * does not end within {@code timeout} or the request failed (for example with a status other than 200).
   */
  public List<Event> awaitEnd(Duration timeout) {
    Await.until("the server to end the event stream", timeout, this::ended);
    if (failure != null) {
      throw new AssertionError("event stream failed: " + failure.getMessage(), failure);
    }
    return events();
  }

  @Override
  public void close() {
    InputStream current = body;
    if (current != null) {
      try {
        current.close();
      } catch (IOException e) {
        // closing a half-read HTTP body: nothing useful to do with the error
      }
    }
    reader.shutdownNow();
  }
}
