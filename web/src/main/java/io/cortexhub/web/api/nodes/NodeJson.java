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

  /**
   * The node's own description of its machine and agent. The policy text itself is served by {@code
   * GET /nodes/{id}/policy}; here only what identifies it.
   *
   * @param isolation the sandbox level the node really offers
   * @param consentMode its owner's consent mode; absent from agents that do not report one
   * @param policyDigest SHA-256 (hex) of its local policy; absent likewise
   */
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
      String isolation,
      String consentMode,
      String policyDigest) {}

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
            m.cpus(), m.memoryBytes(), m.jvm(), m.hostname(), m.isolation(), emptyToNull(m.consentMode()),
            emptyToNull(m.policyDigest())),
        node.maxTasks(),
        node.activeTasks(),
        node.connectedAt(),
        node.lastHeartbeatAt().orElse(null));
  }

  /**
   * {@code GET /nodes/{id}/policy}: the node owner's local policy as the node last reported it. The
   * hub can read it and never change it.
   *
   * @param node the node's id
   * @param consentMode strict, auto-approve-safe or auto
   * @param digest SHA-256 (hex) of {@code policy}, as the node computed it and the hub checked it
   * @param policy the effective policy rendered as YAML
   */
  public record PolicyJson(String node, String consentMode, String digest, String policy) {
    static PolicyJson of(NodeView node) {
      NodeView.Manifest m = node.manifest();
      return new PolicyJson(node.id().value(), emptyToNull(m.consentMode()), emptyToNull(m.policyDigest()),
          emptyToNull(m.policy()));
    }
  }

  private static String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }
}
