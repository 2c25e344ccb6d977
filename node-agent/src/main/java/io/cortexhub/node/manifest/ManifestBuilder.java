package io.cortexhub.node.manifest;

import io.cortexhub.node.AgentVersion;
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
  /** This agent enforces no isolation yet; the sandbox issue will detect and report more. */
  public static final String ISOLATION_NONE = "none";

  private ManifestBuilder() {}

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
