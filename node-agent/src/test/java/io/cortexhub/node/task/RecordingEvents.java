package io.cortexhub.node.task;

import com.google.protobuf.ByteString;
import io.cortexhub.proto.node.v1.OutputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** TaskEvents that remembers everything, with the (real) time each piece of output arrived. */
final class RecordingEvents implements TaskEvents {
  record Piece(OutputStream stream, String text, long atNanos) {}

  final CompletableFuture<Long> pid = new CompletableFuture<>();
  final CompletableFuture<Long> startedAtNanos = new CompletableFuture<>();
  final List<Piece> output = new CopyOnWriteArrayList<>();
  final CompletableFuture<TaskResult> finished = new CompletableFuture<>();
  volatile boolean outputAfterFinish;

  @Override
  public void started(long startedAtUnixMs, long pid) {
    startedAtNanos.complete(System.nanoTime());
    this.pid.complete(pid);
  }

  @Override
  public void output(OutputStream stream, ByteString data) {
    if (finished.isDone()) {
      outputAfterFinish = true;
    }
    output.add(new Piece(stream, data.toStringUtf8(), System.nanoTime()));
  }

  @Override
  public void finished(TaskResult result) {
    finished.complete(result);
  }

  TaskResult result() throws Exception {
    return finished.get(20, TimeUnit.SECONDS);
  }

  String text(OutputStream stream) {
    StringBuilder b = new StringBuilder();
    output.stream().filter(p -> p.stream() == stream).forEach(p -> b.append(p.text()));
    return b.toString();
  }
}
