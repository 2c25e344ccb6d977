package io.cortexhub.node.manifest;

import io.cortexhub.node.AgentVersion;
import io.cortexhub.node.policy.NodePolicy;
import io.cortexhub.node.sandbox.IsolationLevel;
import io.cortexhub.proto.node.v1.Capability;
import io.cortexhub.proto.node.v1.Manifest;
import java.util.Collection;
import java.util.Map;
import java.util.TreeSet;

/**
 * Assembles the protocol {@link Manifest} from host facts and the agent's configuration.
 *
 * <p>Stateless; thread-safe.
 */
public final class ManifestBuilder {
  /** The isolation reported by an agent built without a policy (simulated nodes): none. */
  public static final String ISOLATION_NONE = "none";

  private ManifestBuilder() {}

  /**
   * The manifest of a node under its owner's policy: the isolation every shell task gets (as
   * detected, never as wished), the consent mode, and the effective policy with its digest, all
   * read-only for the hub.
   *
   * @param isolation {@code IsolationReport.level()} of this machine
   */
  public static Manifest build(
      HostFacts host,
      Collection<String> capabilities,
      Map<String, String> labels,
      int maxTasks,
      NodePolicy policy,
      IsolationLevel isolation) {
    return build(host, capabilities, labels, maxTasks).toBuilder()
        .setIsolation(isolation.wireName())
        .setConsentMode(policy.consentMode().wireName())
        .setPolicy(policy.render())
        .setPolicyDigest(policy.digest())
        .build();
  }

  /** The manifest of a node without a policy (simulated fleets): isolation {@code none}. */
  public static Manifest build(
      HostFacts host, Collection<String> capabilities, Map<String, String> labels, int maxTasks) {
    Manifest.Builder m =
        Manifest.newBuilder()
            .setAgentVersion(AgentVersion.current())
            .setOsName(host.osName())
            .setOsVersion(host.osVersion())
            .setArch(host.arch())
            .setKernel(host.kernel())
            .setCpus(host.cpus())
            .setMemoryBytes(host.memoryBytes())
            .setJvm(host.jvm())
            .putAllLabels(labels)
            .setMaxConcurrentTasks(maxTasks)
            .setHostname(host.hostname())
            .setIsolation(ISOLATION_NONE);
    for (String c : new TreeSet<>(capabilities)) {
      m.addCapabilities(Capability.newBuilder().setName(c).setVersion("1"));
    }
    return m.build();
  }
}
