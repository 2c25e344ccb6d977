package io.cortexhub.web.testing;

import io.cortexhub.hub.dispatch.FsOperation;
import io.cortexhub.hub.dispatch.TaskId;
import io.cortexhub.hub.dispatch.TaskKind;
import io.cortexhub.hub.dispatch.TaskRequest;
import io.cortexhub.hub.dispatch.TaskState;
import io.cortexhub.hub.dispatch.TaskView;
import io.cortexhub.hub.registry.NodeId;
import io.cortexhub.hub.registry.NodeState;
import io.cortexhub.hub.registry.NodeView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Ready-made registry and task snapshots for tests. */
public final class Views {

  public static final Instant T0 = Instant.parse("2025-11-25T10:00:00Z");

  private Views() {}

  public static NodeView node(String id, String name, NodeState state) {
    return node(id, name, "default", state);
  }

  public static NodeView node(String id, String name, String workspace, NodeState state) {
    return new NodeView(
        new NodeId(id), name, workspace, state, Map.of("zone", "a", "arch", "amd64"),
        List.of("echo", "shell"),
        new NodeView.Manifest("0.1.0", "Linux", "6.1", "amd64", "6.1.0-18", 4, 8L << 30,
            "Temurin 17", "host-" + name, "none"),
        4, 1, T0, Optional.of(T0.plusSeconds(5)));
  }

  public static TaskView task(String id, TaskState state) {
    return task(id, "default", state);
  }

  public static TaskView task(String id, String workspace, TaskState state) {
    return new TaskView(
        new TaskId(id), TaskKind.SHELL, workspace, state, Optional.of(new NodeId("n-1")), List.of("ls", "-l"),
        Optional.empty(), Map.of(), state.isFinal() ? Optional.of(0) : Optional.empty(), "", 3, T0,
        Optional.of(T0.plusMillis(10)), Optional.empty(), Optional.empty(), Optional.empty(), "");
  }

  /** A node whose agent reports its owner's consent mode and policy. */
  public static NodeView nodeWithPolicy(String id, String name, String consentMode, String policy) {
    NodeView plain = node(id, name, NodeState.ONLINE);
    NodeView.Manifest m = plain.manifest();
    String digest;
    try {
      digest = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(policy.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
    return new NodeView(plain.id(), name, plain.workspace(), plain.state(), plain.labels(), plain.capabilities(),
        new NodeView.Manifest(m.agentVersion(), m.osName(), m.osVersion(), m.arch(), m.kernel(), m.cpus(),
            m.memoryBytes(), m.jvm(), m.hostname(), "bubblewrap", consentMode, digest, policy),
        plain.maxTasks(), plain.activeTasks(), plain.connectedAt(), plain.lastHeartbeatAt());
  }

  /** A finished fs task carrying this operation. */
  public static TaskView fsTask(String id, FsOperation op) {
    return new TaskView(new TaskId(id), TaskKind.FS, "default", TaskState.SUCCEEDED, Optional.of(new NodeId("n-1")),
        List.of(), Optional.of(op), Map.of(), Optional.of(0), "", 1, T0, Optional.of(T0.plusMillis(10)),
        Optional.empty(), Optional.of(T0.plusMillis(20)), Optional.empty(), "");
  }

  /** The QUEUED task a hub would create for this request at {@code createdAt}. */
  public static TaskView queued(TaskId id, TaskRequest request, Instant createdAt) {
    return new TaskView(
        id, request.kind(), request.workspace(), TaskState.QUEUED, request.targetNode(), request.argv(),
        request.fs(), request.selector(), Optional.empty(), "", 0, createdAt, Optional.empty(),
        Optional.empty(), Optional.empty(), request.idempotencyKey(),
        request.traceparent().orElse(""));
  }
}
