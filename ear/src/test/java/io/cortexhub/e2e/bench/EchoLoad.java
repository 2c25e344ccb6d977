package io.cortexhub.e2e.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Load driver: submits echo tasks through the hub's REST API (one task per {@code POST /tasks}, or many per
 * {@code POST /tasks/batch}), either as fast as {@code inFlight} concurrent requests allow or at a fixed rate, then reads every task back and reports throughput and latency.
 *
 * <p>Latency is measured by the hub's own clock, from {@code createdAt} (the task is persisted) to {@code
 * finishedAt} (the node's result is stored): the figure an API user waiting on a task experiences, minus
 * their own network. The client's submit round trip is reported separately.
 */
public final class EchoLoad {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI restBase;
  private final Supplier<String> authorization;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  /** @param authorization the {@code Authorization} header value of each request (a fresh bearer token) */
  public EchoLoad(URI restBase, Supplier<String> authorization) {
    this.restBase = restBase;
    this.authorization = authorization;
  }

  /** What one run measured. Latencies in milliseconds. */
  public record Result(
      String label,
      int submitted,
      int succeeded,
      int failed,
      double submitPerSecond,
      double completedPerSecond,
      double e2eP50,
      double e2eP99,
      double e2eMax,
      double submitP50,
      double submitP99) {

    @Override
    public String toString() {
      return String.format(
          "%s: %d submitted, %d succeeded, %d not; submitted %.0f/s, completed %.0f/s end-to-end; "
              + "latency created->finished p50 %.1f ms, p99 %.1f ms, max %.1f ms; submit round trip p50 %.1f ms, p99 %.1f ms",
          label, submitted, succeeded, failed, submitPerSecond, completedPerSecond, e2eP50, e2eP99, e2eMax, submitP50, submitP99);
    }
  }

  /**
   * Submits for {@code duration}: at {@code ratePerSecond} when positive, else as fast as {@code inFlight}
   * concurrent requests go. Then waits for every task to be final and measures.
   */
  public Result run(String label, Duration duration, double ratePerSecond, int inFlight) throws InterruptedException {
    return run(label, duration, ratePerSecond, inFlight, 1);
  }

  /**
   * As {@link #run(String, Duration, double, int)}, but with {@code batchSize > 1} each request is one {@code
   * POST /tasks/batch} carrying {@code batchSize} echo tasks (the rate then counts tasks, not requests). The
   * submit round trip reported is then that of a whole batch.
   */
  public Result run(String label, Duration duration, double ratePerSecond, int inFlight, int batchSize)
      throws InterruptedException {
    Semaphore permits = new Semaphore(inFlight);
    ConcurrentLinkedQueue<String> ids = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Double> submitMillis = new ConcurrentLinkedQueue<>();
    AtomicLong rejected = new AtomicLong();
    String one = "{\"kind\":\"echo\",\"message\":\"ping\"}";
    String body = batchSize > 1 ? "[" + String.join(",", Collections.nCopies(batchSize, one)) + "]" : one;
    URI target = restBase.resolve(batchSize > 1 ? "tasks/batch" : "tasks");
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    long sent = 0;
    while (System.nanoTime() < end) {
      if (ratePerSecond > 0) {
        long due = start + (long) (sent * 1e9 / ratePerSecond);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
          continue;
        }
      }
      permits.acquire();
      sent += Math.max(1, batchSize);
      long t0 = System.nanoTime();
      HttpRequest request =
          HttpRequest.newBuilder(target)
              .header("Content-Type", "application/json")
              .header("Authorization", authorization.get())
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build();
      http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
          .whenComplete(
              (response, error) -> {
                try {
                  submitMillis.add((System.nanoTime() - t0) / 1e6);
                  collect(response, error, batchSize, ids, rejected);
                } finally {
                  // Released last: once all permits are back, every answered id is in `ids`.
                  permits.release();
                }
              });
    }
    permits.acquire(inFlight);
    double submitSeconds = (System.nanoTime() - start) / 1e9;

    List<JsonNode> tasks = awaitAllFinal(new ArrayList<>(ids));
    List<Double> latencies = new ArrayList<>();
    Instant firstCreated = Instant.MAX;
    Instant lastFinished = Instant.MIN;
    int succeeded = 0;
    java.util.Map<String, Integer> others = new java.util.TreeMap<>();
    for (JsonNode task : tasks) {
      if (!"SUCCEEDED".equals(task.path("state").asText())) {
        others.merge(task.path("state").asText() + ": " + task.path("detail").asText(), 1, Integer::sum);
        continue;
      }
      succeeded++;
      Instant created = Instant.parse(task.path("createdAt").asText());
      Instant finished = Instant.parse(task.path("finishedAt").asText());
      latencies.add(Duration.between(created, finished).toNanos() / 1e6);
      firstCreated = created.isBefore(firstCreated) ? created : firstCreated;
      lastFinished = finished.isAfter(lastFinished) ? finished : lastFinished;
    }
    double completedSeconds = succeeded == 0 ? Double.NaN : Duration.between(firstCreated, lastFinished).toNanos() / 1e9;
    if (!others.isEmpty() || tasks.size() < ids.size()) {
      System.out.printf("  %s: %d tasks not final after 5 minutes; not SUCCEEDED: %s%n",
          label, ids.size() - tasks.size(), others);
    }
    List<Double> submits = new ArrayList<>(submitMillis);
    return new Result(
        label,
        (int) sent,
        succeeded,
        (int) (sent - succeeded),
        ids.size() / submitSeconds,
        succeeded / completedSeconds,
        percentile(latencies, 50),
        percentile(latencies, 99),
        percentile(latencies, 100),
        percentile(submits, 50),
        percentile(submits, 99));
  }

  private static void collect(HttpResponse<String> response, Throwable error, int batchSize,
      ConcurrentLinkedQueue<String> ids, AtomicLong rejected) {
    if (error == null && batchSize > 1 && response.statusCode() == 200) {
      for (JsonNode item : parse(response.body())) {
        if (item.path("status").asInt() == 201) {
          ids.add(item.path("task").path("id").asText());
        } else {
          rejected.incrementAndGet();
        }
      }
    } else if (error == null && response.statusCode() == 201) {
      ids.add(parse(response.body()).path("id").asText());
    } else {
      rejected.incrementAndGet();
    }
  }

  private List<JsonNode> awaitAllFinal(List<String> ids) throws InterruptedException {
    List<JsonNode> done = Collections.synchronizedList(new ArrayList<>());
    List<String> pending = ids;
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (!pending.isEmpty() && System.nanoTime() < deadline) {
      List<String> stillPending = Collections.synchronizedList(new ArrayList<>());
      Semaphore permits = new Semaphore(32);
      List<CompletableFuture<?>> reads = new ArrayList<>();
      for (String id : pending) {
        permits.acquire();
        reads.add(
            http.sendAsync(HttpRequest.newBuilder(restBase.resolve("tasks/" + id)).header("Authorization", authorization.get()).GET().build(), HttpResponse.BodyHandlers.ofString())
                .whenComplete(
                    (response, error) -> {
                      permits.release();
                      JsonNode task = error == null ? parse(response.body()) : null;
                      if (task != null && isFinal(task.path("state").asText())) {
                        done.add(task);
                      } else {
                        stillPending.add(id);
                      }
                    }));
      }
      CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
      pending = stillPending;
      if (!pending.isEmpty()) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
      }
    }
    return done;
  }

  private static boolean isFinal(String state) {
    return List.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT", "LOST").contains(state);
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (Exception e) {
      return JSON.missingNode();
    }
  }

  static double percentile(List<Double> values, int p) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }
}
