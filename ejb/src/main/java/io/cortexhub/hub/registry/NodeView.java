package io.cortexhub.hub.registry;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A read-only snapshot of one node for the REST API and the console.
 *
 * @param id hub-assigned id
 * @param name operator-chosen display name from Hello (not unique, not an identity)
 * @param workspace the workspace the node belongs to (from its certificate)
 * @param state reachability now
 * @param labels operator labels used by selectors
 * @param capabilities capability names the node offers ("echo", "shell")
 * @param manifest the rest of the node's self-description
 * @param maxTasks most tasks the node runs at once
 * @param activeTasks tasks dispatched to the node and not yet finished
 * @param connectedAt when the current (or last) session started
 * @param lastHeartbeatAt last heartbeat received, if any
 */
public record NodeView(
    NodeId id,
    String name,
    String workspace,
    NodeState state,
    Map<String, String> labels,
    List<String> capabilities,
    Manifest manifest,
    int maxTasks,
    int activeTasks,
    Instant connectedAt,
    Optional<Instant> lastHeartbeatAt) {

  public NodeView {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(workspace, "workspace");
    Objects.requireNonNull(state, "state");
    labels = Map.copyOf(labels);
    capabilities = List.copyOf(capabilities);
    Objects.requireNonNull(manifest, "manifest");
    Objects.requireNonNull(connectedAt, "connectedAt");
    Objects.requireNonNull(lastHeartbeatAt, "lastHeartbeatAt");
  }

  /** The node's description of its machine and agent, as last reported in Hello. */
  public record Manifest(
      String agentVersion,
      String osName,
      String osVersion,
      String arch,
      String kernel,
      int cpus,
      long memoryBytes,
      String jvm,
      String hostname,
      String isolation) {}
}
