package io.cortexhub.hub.connector.inbound;

import io.cortexhub.hub.registry.NodeIdentity;
import io.cortexhub.hub.registry.NodeView;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A validated Hello: who the node is and what it offers.
 *
 * @param identity who the node is, established by the tunnel (certificate), not by the node
 * @param name the node's display name (not unique, not an identity)
 * @param instanceId random id of the agent process (a new one means the agent restarted)
 * @param manifest machine and agent description
 * @param capabilities capability names ("echo", "shell")
 * @param labels operator labels
 * @param maxTasks most tasks it runs at once, at least 1
 */
public record NodeHello(
    NodeIdentity identity,
    String name,
    String instanceId,
    NodeView.Manifest manifest,
    List<String> capabilities,
    Map<String, String> labels,
    int maxTasks) {
  public NodeHello {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(name, "name");
    instanceId = instanceId == null ? "" : instanceId;
    Objects.requireNonNull(manifest, "manifest");
    capabilities = List.copyOf(capabilities);
    labels = Map.copyOf(labels);
    if (maxTasks < 1) {
      throw new IllegalArgumentException("maxTasks must be at least 1");
    }
  }

  /** A copy with other labels. */
  public NodeHello withLabels(Map<String, String> newLabels) {
    return new NodeHello(identity, name, instanceId, manifest, capabilities, newLabels, maxTasks);
  }
}
