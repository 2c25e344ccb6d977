package io.cortexhub.web.api.nodes;

import io.cortexhub.hub.registry.NodeView;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A node as the REST API shows it (JSON-B binds the record's components). Absent values are {@code
 * null} and therefore left out of the JSON.
 */
public record NodeJson(
    String id,
    String name,
    String state,
    Map<String, String> labels,
    List<String> capabilities,
    ManifestJson manifest,
    int maxTasks,
    int activeTasks,
    Instant connectedAt,
    Instant lastHeartbeatAt) {

  /** The node's own description of its machine and agent. */
  public record ManifestJson(
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

  /** The JSON form of a registry snapshot. */
  public static NodeJson of(NodeView node) {
    NodeView.Manifest m = node.manifest();
    return new NodeJson(
        node.id().value(),
        node.name(),
        node.state().name(),
        node.labels(),
        node.capabilities(),
        new ManifestJson(m.agentVersion(), m.osName(), m.osVersion(), m.arch(), m.kernel(),
            m.cpus(), m.memoryBytes(), m.jvm(), m.hostname(), m.isolation()),
        node.maxTasks(),
        node.activeTasks(),
        node.connectedAt(),
        node.lastHeartbeatAt().orElse(null));
  }
}
