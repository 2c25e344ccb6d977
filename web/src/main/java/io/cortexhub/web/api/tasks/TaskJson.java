package io.cortexhub.web.api.tasks;

import io.cortexhub.hub.dispatch.TaskView;
import io.cortexhub.hub.registry.NodeId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A task as the REST API shows it. {@code kind} is the lower-case name used on submit; absent values
 * are {@code null} and left out of the JSON.
 */
@Schema(name = "Task")
public record TaskJson(
    String id,
    String kind,
    String state,
    boolean finished,
    String node,
    List<String> argv,
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
}
