package io.cortexhub.node.fs;

import com.google.protobuf.ByteString;
import io.cortexhub.node.task.RunningTask;
import io.cortexhub.node.task.TaskEvents;
import io.cortexhub.node.task.TaskResult;
import io.cortexhub.proto.node.v1.FsPayload;
import io.cortexhub.proto.node.v1.OutputStream;
import io.cortexhub.proto.node.v1.TaskOutcome;
import io.cortexhub.proto.node.v1.TaskSpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs fs tasks against real directories on a real thread pool and records what they report. */
final class FsHarness implements AutoCloseable {
  /** One change the listener heard of. */
  record Change(String taskId, Path path, Optional<String> before, Optional<String> after) {}

  /** Everything a task reported. */
  record Run(TaskResult result, byte[] stdout, int chunks) {
    String text() {
      return new String(stdout, StandardCharsets.UTF_8);
    }

    boolean succeeded() {
      return result.outcome() == TaskOutcome.TASK_OUTCOME_SUCCEEDED;
    }

    String detail() {
      return result.detail();
    }
  }

  /** TaskEvents that keep stdout and check the reporting order. */
  static class Events implements TaskEvents {
    final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    final CompletableFuture<TaskResult> finished = new CompletableFuture<>();
    final AtomicInteger chunks = new AtomicInteger();
    volatile boolean started;
    volatile String protocolError;

    @Override
    public void started(long startedAtUnixMs, long pid) {
      started = true;
    }

    @Override
    public synchronized void output(OutputStream stream, ByteString data) {
      if (!started || finished.isDone() || stream != OutputStream.OUTPUT_STREAM_STDOUT) {
        protocolError = "output out of order or on " + stream;
      }
      if (data.size() > FsTask.MAX_CHUNK) {
        protocolError = "chunk of " + data.size() + " bytes";
      }
      chunks.incrementAndGet();
      stdout.writeBytes(data.toByteArray());
    }

    @Override
    public void finished(TaskResult result) {
      if (!finished.complete(result)) {
        protocolError = "finished twice";
      }
    }

    Run await() throws Exception {
      TaskResult r = finished.get(30, TimeUnit.SECONDS);
      if (protocolError != null) {
        throw new AssertionError(protocolError);
      }
      synchronized (this) {
        return new Run(r, stdout.toByteArray(), chunks.get());
      }
    }
  }

  final List<Change> changes = new CopyOnWriteArrayList<>();
  final ExecutorService io = Executors.newCachedThreadPool();
  final FsRunner runner;
  private final AtomicInteger ids = new AtomicInteger();

  FsHarness(List<FsRoot> roots, FsLimits limits, Clock clock) {
    this.runner = new FsRunner(roots, limits, (id, p, b, a) -> changes.add(new Change(id, p, b, a)), clock, io);
  }

  FsHarness(List<FsRoot> roots) {
    this(roots, FsLimits.DEFAULTS, Clock.systemUTC());
  }

  static FsHarness writable(Path root) {
    return new FsHarness(List.of(new FsRoot(root, true)));
  }

  TaskSpec spec(FsPayload payload, int timeoutMs) {
    return spec("fs-" + ids.incrementAndGet(), payload, timeoutMs);
  }

  static TaskSpec spec(String taskId, FsPayload payload, int timeoutMs) {
    return TaskSpec.newBuilder()
        .setTaskId(taskId)
        .setCapability(FsRunner.CAPABILITY)
        .setTimeoutMs(timeoutMs)
        .setFs(payload)
        .build();
  }

  /** Starts a task and returns its handle; {@code events} receives the reports. */
  RunningTask start(FsPayload payload, Events events, int timeoutMs) {
    return runner.start(spec(payload, timeoutMs), Path.of("/nonexistent-task-dir"), events);
  }

  Run run(FsPayload payload) throws Exception {
    Events events = new Events();
    start(payload, events, 0);
    return events.await();
  }

  @Override
  public void close() {
    io.shutdownNow();
    try {
      io.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
