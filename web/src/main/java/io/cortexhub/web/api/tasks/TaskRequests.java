package io.cortexhub.web.api.tasks;

import io.cortexhub.hub.dispatch.FsOperation;
import io.cortexhub.hub.dispatch.TaskKind;
import io.cortexhub.hub.dispatch.TaskRequest;
import io.cortexhub.hub.registry.NodeId;
import io.cortexhub.hub.workspace.WorkspaceId;
import io.cortexhub.web.api.nodes.NodeIds;
import io.cortexhub.web.api.problem.InvalidRequestException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns a REST submit body plus its headers into the hub's {@link TaskRequest}.
 *
 * <p>Checks what the JSON shape alone cannot: the kind is known, fields belong to that kind, the
 * routing is unambiguous and the two places an idempotency key may come from agree. Whether the
 * values make sense for the hub (an argv that is not empty, a node that exists) is the hub's call.
 * Stateless and thread-safe.
 */
public final class TaskRequests {

  /** W3C Trace Context version 00 {@code traceparent}; all-zero trace or span ids are invalid. */
  private static final Pattern TRACEPARENT =
      Pattern.compile("00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}");

  private TaskRequests() {}

  /**
   * @param body the parsed, validated request body
   * @param idempotencyKeyHeader the {@code Idempotency-Key} header, or null
   * @param traceparentHeader the {@code traceparent} header, or null; an invalid one is ignored, as
   *     the W3C recommendation asks, and the hub starts a new trace
   * @param requestedBy who is asking
   * @throws InvalidRequestException naming the offending field
   */
  public static TaskRequest from(
      SubmitTaskJson body, String idempotencyKeyHeader, String traceparentHeader,
      String requestedBy) {
    return from(body, idempotencyKeyHeader, traceparentHeader, requestedBy,
        WorkspaceId.orDefault(body.workspace()));
  }

  /**
   * {@link #from(SubmitTaskJson, String, String, String)} for a workspace already checked against
   * the caller's token.
   */
  public static TaskRequest from(
      SubmitTaskJson body, String idempotencyKeyHeader, String traceparentHeader,
      String requestedBy, WorkspaceId workspace) {
    TaskKind kind = kind(body.kind());
    if (kind != TaskKind.SHELL) {
      rejectIfPresent("argv", body.argv() != null && !body.argv().isEmpty(), kind);
      rejectIfPresent("env", body.env() != null && !body.env().isEmpty(), kind);
      rejectIfPresent("workingDir", body.workingDir() != null && !body.workingDir().isEmpty(), kind);
    }
    if (kind != TaskKind.ECHO) {
      rejectIfPresent("message", body.message() != null, kind);
    }
    if (kind != TaskKind.FS) {
      rejectIfPresent("fs", body.fs() != null, kind);
    } else if (body.fs() == null) {
      throw new InvalidRequestException("fs tasks need an fs member: {\"op\": \"read\", \"path\": ...}");
    }
    Optional<FsOperation> fs = Optional.ofNullable(body.fs()).map(FsOperationJson::toOperation);
    Map<String, String> selector = body.selector() == null ? Map.of() : body.selector();
    Optional<NodeId> node = Optional.empty();
    if (body.node() != null) {
      if (!selector.isEmpty()) {
        throw new InvalidRequestException("give either node or selector, not both");
      }
      node = Optional.of(NodeIds.parse(body.node()));
    }
    return new TaskRequest(
        kind,
        workspace.value(),
        body.message(),
        body.argv() == null ? List.of() : body.argv(),
        body.env(),
        body.workingDir(),
        fs,
        Optional.ofNullable(body.timeoutSeconds()).map(Duration::ofSeconds),
        idempotencyKey(body.idempotencyKey(), idempotencyKeyHeader),
        node,
        selector,
        requestedBy,
        traceparent(traceparentHeader));
  }

  /** The task kind named in a request, case-insensitively. */
  static TaskKind kind(String raw) {
    for (TaskKind kind : TaskKind.values()) {
      if (kind.capability().equalsIgnoreCase(raw == null ? "" : raw.strip())) {
        return kind;
      }
    }
    String known = Arrays.stream(TaskKind.values()).map(TaskKind::capability)
        .collect(Collectors.joining(", "));
    throw new InvalidRequestException("kind must be one of: " + known + "; got '" + raw + "'");
  }

  static Optional<String> idempotencyKey(String fromBody, String fromHeader) {
    String header = fromHeader == null || fromHeader.isBlank() ? null : fromHeader.strip();
    if (header != null && header.length() > SubmitTaskJson.MAX_KEY_CHARS) {
      throw new InvalidRequestException(
          "Idempotency-Key header is longer than " + SubmitTaskJson.MAX_KEY_CHARS + " characters");
    }
    if (fromBody != null && header != null && !fromBody.equals(header)) {
      throw new InvalidRequestException(
          "idempotencyKey in the body and the Idempotency-Key header differ");
    }
    return Optional.ofNullable(fromBody != null ? fromBody : header);
  }

  static Optional<String> traceparent(String header) {
    if (header == null) {
      return Optional.empty();
    }
    String value = header.strip().toLowerCase(Locale.ROOT);
    return TRACEPARENT.matcher(value).matches() ? Optional.of(value) : Optional.empty();
  }

  private static void rejectIfPresent(String field, boolean present, TaskKind kind) {
    if (present) {
      throw new InvalidRequestException(
          field + " is not used by " + kind.capability() + " tasks; leave it out");
    }
  }
}
