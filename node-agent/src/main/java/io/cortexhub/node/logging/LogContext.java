package io.cortexhub.node.logging;

import java.util.Optional;

/**
 * The correlation fields attached to one log line: node name, task id and W3C trace id.
 *
 * <p>Carried as the single parameter of a {@link java.util.logging.LogRecord} and rendered by {@link
 * JsonLineFormatter}. Empty strings mean "not applicable".
 */
public record LogContext(String node, String task, String trace) {
  public LogContext {
    node = node == null ? "" : node;
    task = task == null ? "" : task;
    trace = trace == null ? "" : trace;
  }

  public static LogContext ofNode(String node) {
    return new LogContext(node, "", "");
  }

  /** This context narrowed to one task; {@code traceparent} may be empty or malformed. */
  public LogContext withTask(String taskId, String traceparent) {
    return new LogContext(node, taskId, traceIdOf(traceparent).orElse(""));
  }

  /**
   * The trace id of a W3C {@code traceparent} ({@code version-traceid-spanid-flags}), if it has one.
   */
  public static Optional<String> traceIdOf(String traceparent) {
    if (traceparent == null) {
      return Optional.empty();
    }
    String[] parts = traceparent.trim().split("-");
    if (parts.length < 4 || parts[1].length() != 32 || !parts[1].matches("[0-9a-f]{32}")) {
      return Optional.empty();
    }
    return Optional.of(parts[1]);
  }
}
