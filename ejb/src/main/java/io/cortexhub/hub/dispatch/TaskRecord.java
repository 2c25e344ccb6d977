package io.cortexhub.hub.dispatch;

import io.cortexhub.hub.registry.NodeId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the hub stores about one task: the request as validated, and its progress. Immutable;
 * transitions produce copies.
 */
public record TaskRecord(
    TaskId id,
    TaskKind kind,
    String workspace,
    TaskState state,
    Optional<NodeId> node,
    Optional<NodeId> targetNode,
    Map<String, String> selector,
    String echoMessage,
    List<String> argv,
    Map<String, String> env,
    String workingDir,
    Optional<FsOperation> fs,
    Duration timeout,
    Duration killGrace,
    Optional<String> idempotencyKey,
    String requestedBy,
    String traceparent,
    Optional<Integer> exitCode,
    String detail,
    long outputSeq,
    Optional<Long> finalSeq,
    Instant createdAt,
    Optional<Instant> dispatchedAt,
    Optional<Instant> startedAt,
    Optional<Instant> finishedAt) {

  public TaskRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(workspace, "workspace");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(targetNode, "targetNode");
    selector = Map.copyOf(selector);
    echoMessage = echoMessage == null ? "" : echoMessage;
    argv = List.copyOf(argv);
    env = Map.copyOf(env);
    workingDir = workingDir == null ? "" : workingDir;
    Objects.requireNonNull(fs, "fs");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(killGrace, "killGrace");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(requestedBy, "requestedBy");
    Objects.requireNonNull(traceparent, "traceparent");
    Objects.requireNonNull(exitCode, "exitCode");
    detail = detail == null ? "" : detail;
    Objects.requireNonNull(finalSeq, "finalSeq");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(dispatchedAt, "dispatchedAt");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(finishedAt, "finishedAt");
  }

  /** The capability a node must offer to run this task. */
  public String capability() {
    return kind.capability();
  }

  public TaskView toView() {
    return new TaskView(id, kind, workspace, state, node, argv, fs, selector, exitCode, detail, outputSeq,
        createdAt, dispatchedAt, startedAt, finishedAt, idempotencyKey, traceparent);
  }

  /** A copy with a change applied (the fields an update carries). */
  public TaskRecord with(TaskUpdate u) {
    return new TaskRecord(id, kind, workspace, u.state(), u.node(), targetNode, selector, echoMessage, argv,
        env, workingDir, fs, timeout, killGrace, idempotencyKey, requestedBy, traceparent,
        u.exitCode().or(() -> exitCode), u.detail().orElse(detail), outputSeq,
        u.finalSeq().or(() -> finalSeq), createdAt, u.dispatchedAt().or(() -> dispatchedAt),
        u.startedAt().or(() -> startedAt), u.finishedAt().or(() -> finishedAt));
  }

  public TaskRecord withOutputSeq(long seq) {
    return new TaskRecord(id, kind, workspace, state, node, targetNode, selector, echoMessage, argv, env,
        workingDir, fs, timeout, killGrace, idempotencyKey, requestedBy, traceparent, exitCode, detail,
        Math.max(outputSeq, seq), finalSeq, createdAt, dispatchedAt, startedAt, finishedAt);
  }
}
