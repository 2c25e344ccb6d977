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

  /** Longest policy text a node may report (a policy is a few KiB; this is a bound, not a norm). */
  public static final int MAX_POLICY_CHARS = 262_144;

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

  /**
   * The node's description of its machine and agent, as last reported in Hello.
   *
   * @param isolation the sandbox level the node really offers (bubblewrap, unshare, setpriv, none)
   * @param consentMode the owner's consent mode (strict, auto-approve-safe, auto; empty from agents
   *     that predate it)
   * @param policyDigest SHA-256 (hex) of {@code policy}
   * @param policy the node's effective local policy, rendered as YAML: the hub can read it, never
   *     change it
   */
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
      String isolation,
      String consentMode,
      String policyDigest,
      String policy) {

    /** A manifest from an agent that reports no consent mode or policy. */
    public Manifest(String agentVersion, String osName, String osVersion, String arch, String kernel, int cpus,
        long memoryBytes, String jvm, String hostname, String isolation) {
      this(agentVersion, osName, osVersion, arch, kernel, cpus, memoryBytes, jvm, hostname, isolation, "", "", "");
    }
  }
}
