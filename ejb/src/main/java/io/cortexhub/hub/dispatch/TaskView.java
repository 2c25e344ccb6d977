package io.cortexhub.hub.dispatch;

import io.cortexhub.hub.registry.NodeId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A read-only snapshot of one task for the REST API and the console.
 *
 * @param id task id
 * @param kind what it runs
 * @param workspace the workspace it belongs to
 * @param state where it is in its lifecycle
 * @param node the node it was dispatched to, once dispatched
 * @param argv for SHELL tasks
 * @param fs for FS tasks: the file operation
 * @param selector labels it was routed by (empty when targeted at a node)
 * @param exitCode process exit code, once finished with one
 * @param detail why it failed, was rejected or lost; empty otherwise
 * @param outputSeq highest output seq stored so far (0 = none)
 * @param createdAt when it was submitted
 * @param dispatchedAt when it was sent to a node
 * @param startedAt when the node started it
 * @param finishedAt when it reached a final state
 * @param idempotencyKey key given at submit, if any
 * @param traceparent W3C trace context the task carries
 */
public record TaskView(
    TaskId id,
    TaskKind kind,
    String workspace,
    TaskState state,
    Optional<NodeId> node,
    List<String> argv,
    Optional<FsOperation> fs,
    Map<String, String> selector,
    Optional<Integer> exitCode,
    String detail,
    long outputSeq,
    Instant createdAt,
    Optional<Instant> dispatchedAt,
    Optional<Instant> startedAt,
    Optional<Instant> finishedAt,
    Optional<String> idempotencyKey,
    String traceparent) {

  public TaskView {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(workspace, "workspace");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(node, "node");
    argv = List.copyOf(argv);
    Objects.requireNonNull(fs, "fs");
    selector = Map.copyOf(selector);
    Objects.requireNonNull(exitCode, "exitCode");
    detail = detail == null ? "" : detail;
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(dispatchedAt, "dispatchedAt");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(finishedAt, "finishedAt");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(traceparent, "traceparent");
  }
}
