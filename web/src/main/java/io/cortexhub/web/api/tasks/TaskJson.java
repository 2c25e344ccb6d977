package io.cortexhub.web.api.tasks;

import io.cortexhub.hub.dispatch.FsOperation;
import io.cortexhub.hub.dispatch.TaskView;
import io.cortexhub.hub.registry.NodeId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A task as the REST API shows it. {@code kind} is the lower-case name used on submit; absent values
 * are {@code null} and left out of the JSON. An fs task shows its operation and paths, never the data
 * it writes.
 */
@Schema(name = "Task")
public record TaskJson(
    String id,
    String kind,
    String state,
    boolean finished,
    String node,
    List<String> argv,
    FsSummaryJson fs,
    Map<String, String> selector,
    Integer exitCode,
    String detail,
    long outputSeq,
    Instant createdAt,
    Instant dispatchedAt,
    Instant startedAt,
    Instant finishedAt,
    String idempotencyKey,
    String traceparent) {

  /** The JSON form of a task snapshot. */
  public static TaskJson of(TaskView task) {
    return new TaskJson(
        task.id().value(),
        task.kind().capability(),
        task.state().name(),
        task.state().isFinal(),
        task.node().map(NodeId::value).orElse(null),
        task.argv(),
        task.fs().map(FsSummaryJson::of).orElse(null),
        task.selector(),
        task.exitCode().orElse(null),
        task.detail().isEmpty() ? null : task.detail(),
        task.outputSeq(),
        task.createdAt(),
        task.dispatchedAt().orElse(null),
        task.startedAt().orElse(null),
        task.finishedAt().orElse(null),
        task.idempotencyKey().orElse(null),
        task.traceparent().isEmpty() ? null : task.traceparent());
  }

  /**
   * What an fs task does, without its data.
   *
   * @param op list, stat, read, write, append, patch, mkdir, move or delete
   * @param path the path it acts on (for move: the source)
   * @param to for move: the destination
   */
  @Schema(name = "FsSummary")
  public record FsSummaryJson(String op, String path, String to) {
    static FsSummaryJson of(FsOperation fs) {
      return new FsSummaryJson(fs.op(), fs.path(), fs.target().isEmpty() ? null : fs.target());
    }
  }
}
