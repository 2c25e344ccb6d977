package io.cortexhub.hub.registry;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.MapKeyColumn;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * JPA mapping of a node (table {@code cortex_node} and its label and capability tables, created by
 * Flyway). Times are epoch milliseconds for portability. Not thread-safe (a managed entity).
 */
@Entity
@Table(name = "cortex_node")
@NamedQuery(name = "NodeEntity.all", query = "select n from NodeEntity n order by n.name")
public class NodeEntity {
  @Id
  @Column(name = "id", length = 64)
  private String id;

  @Column(name = "name", nullable = false, length = 128)
  private String name;

  @Column(name = "workspace", nullable = false, length = 64)
  private String workspace = "default";

  @Column(name = "state", nullable = false, length = 16)
  private String state;

  @Column(name = "instance_id", nullable = false) private String instanceId;
  @Column(name = "agent_version", nullable = false) private String agentVersion;
  @Column(name = "os_name", nullable = false) private String osName;
  @Column(name = "os_version", nullable = false) private String osVersion;
  @Column(name = "arch", nullable = false) private String arch;
  @Column(name = "kernel", nullable = false) private String kernel;
  @Column(name = "cpus", nullable = false) private int cpus;
  @Column(name = "memory_bytes", nullable = false) private long memoryBytes;
  @Column(name = "jvm", nullable = false) private String jvm;
  @Column(name = "hostname", nullable = false) private String hostname;
  @Column(name = "isolation", nullable = false) private String isolation;
  @Column(name = "consent_mode", nullable = false) private String consentMode = "";
  @Column(name = "policy_digest", nullable = false) private String policyDigest = "";
  @Column(name = "policy", nullable = false, length = NodeView.MAX_POLICY_CHARS) private String policy = "";
  @Column(name = "max_tasks", nullable = false) private int maxTasks;
  @Column(name = "created_at_ms", nullable = false) private long createdAtMs;
  @Column(name = "connected_at_ms", nullable = false) private long connectedAtMs;
  @Column(name = "last_heartbeat_at_ms") private Long lastHeartbeatAtMs;
  @Column(name = "state_changed_at_ms", nullable = false) private long stateChangedAtMs;

  @Version
  @Column(name = "version", nullable = false)
  private long version;

  @ElementCollection(fetch = FetchType.EAGER)
  @CollectionTable(name = "cortex_node_label", joinColumns = @JoinColumn(name = "node_id"))
  @MapKeyColumn(name = "label_key")
  @Column(name = "label_value")
  private Map<String, String> labels = new HashMap<>();

  @ElementCollection(fetch = FetchType.EAGER)
  @CollectionTable(name = "cortex_node_capability", joinColumns = @JoinColumn(name = "node_id"))
  @Column(name = "capability")
  private Set<String> capabilities = new HashSet<>();

  protected NodeEntity() {}

  NodeEntity(String id, String name, Instant createdAt) {
    this.id = id;
    this.name = name;
    this.createdAtMs = createdAt.toEpochMilli();
  }

  void apply(io.cortexhub.hub.connector.inbound.NodeHello hello, Instant now) {
    NodeView.Manifest m = hello.manifest();
    name = hello.name();
    workspace = hello.identity().workspace().value();
    instanceId = hello.instanceId();
    agentVersion = m.agentVersion();
    osName = m.osName();
    osVersion = m.osVersion();
    arch = m.arch();
    kernel = m.kernel();
    cpus = m.cpus();
    memoryBytes = m.memoryBytes();
    jvm = m.jvm();
    hostname = m.hostname();
    isolation = m.isolation();
    consentMode = m.consentMode();
    policyDigest = m.policyDigest();
    policy = m.policy();
    maxTasks = hello.maxTasks();
    connectedAtMs = now.toEpochMilli();
    // Replace contents rather than the collections: EclipseLink tracks changes on its own wrappers.
    labels.clear();
    labels.putAll(hello.labels());
    capabilities.clear();
    capabilities.addAll(hello.capabilities());
    changeState(NodeState.CONNECTING, now);
  }

  void changeState(NodeState newState, Instant at) {
    state = newState.name();
    stateChangedAtMs = at.toEpochMilli();
  }

  void heartbeatAt(Instant at) {
    lastHeartbeatAtMs = at.toEpochMilli();
  }

  String name() {
    return name;
  }

  NodeView toView() {
    return new NodeView(new NodeId(id), name, workspace, NodeState.valueOf(state), labels,
        new ArrayList<>(new java.util.TreeSet<>(capabilities)),
        new NodeView.Manifest(agentVersion, osName, osVersion, arch, kernel, cpus, memoryBytes,
            jvm, hostname, isolation, consentMode, policyDigest, policy),
        maxTasks, 0, Instant.ofEpochMilli(connectedAtMs),
        Optional.ofNullable(lastHeartbeatAtMs).map(Instant::ofEpochMilli));
  }
}
