package io.cortexhub.hub.dispatch;

import io.cortexhub.hub.registry.NodeId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A request to run a task, as it arrives from the REST API or the console.
 *
 * <p>Exactly one of {@code targetNode} and {@code selector} routes the task: a node id, or labels
 * that the chosen node must all carry (an empty selector means "any node with the capability").
 * Validation of the values happens in {@link TaskService#submit}, which throws {@link
 * InvalidTaskRequestException} with a message naming the offending field.
 *
 * @param kind what to run
 * @param workspace the workspace the task belongs to and runs in (null or blank: "default"); the
 *     caller must check that the user may act in it
 * @param echoMessage for ECHO: the text to send back
 * @param argv for SHELL: executable and arguments, never a shell string
 * @param env for SHELL: extra environment variables
 * @param workingDir for SHELL: working directory on the node, empty for the node's default
 * @param fs for FS: the file operation
 * @param timeout wall-clock limit on the node, empty for the hub's default
 * @param idempotencyKey a retry with the same key returns the task created by the first attempt
 * @param targetNode run on exactly this node
 * @param selector or run on the least-loaded ONLINE node carrying all of these labels
 * @param requestedBy the user or service asking (recorded, shown to the node)
 * @param traceparent W3C trace context of the request, empty to start a new trace
 */
public record TaskRequest(
    TaskKind kind,
    String workspace,
    String echoMessage,
    List<String> argv,
    Map<String, String> env,
    String workingDir,
    Optional<FsOperation> fs,
    Optional<Duration> timeout,
    Optional<String> idempotencyKey,
    Optional<NodeId> targetNode,
    Map<String, String> selector,
    String requestedBy,
    Optional<String> traceparent) {

  public TaskRequest {
    Objects.requireNonNull(kind, "kind");
    workspace = workspace == null || workspace.isBlank() ? "default" : workspace.trim();
    echoMessage = echoMessage == null ? "" : echoMessage;
    argv = argv == null ? List.of() : List.copyOf(argv);
    env = env == null ? Map.of() : Map.copyOf(env);
    workingDir = workingDir == null ? "" : workingDir;
    Objects.requireNonNull(fs, "fs");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(targetNode, "targetNode");
    selector = selector == null ? Map.of() : Map.copyOf(selector);
    requestedBy = requestedBy == null || requestedBy.isBlank() ? "anonymous" : requestedBy;
    Objects.requireNonNull(traceparent, "traceparent");
  }

  /** An echo task routed by selector in the default workspace; for tests and benchmarks. */
  public static TaskRequest echo(String message, Map<String, String> selector) {
    return new TaskRequest(
        TaskKind.ECHO, "default", message, List.of(), Map.of(), "", Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), selector, "anonymous", Optional.empty());
  }
}
