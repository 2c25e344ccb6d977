package io.cortexhub.node.tunnel;

import io.cortexhub.node.consent.ConsentBroker;
import io.cortexhub.node.consent.ConsentMode;
import io.cortexhub.node.consent.ConsentPolicy;
import io.cortexhub.node.consent.SafeCommandClassifier;
import io.cortexhub.node.policy.NodePolicy;
import io.cortexhub.node.policy.WorkspaceRoot;
import io.cortexhub.node.sandbox.IsolationReport;
import io.cortexhub.node.sandbox.SandboxLauncher;
import java.util.Objects;
import java.util.Optional;

/**
 * What the node checks and records about a task beyond admission (signature, node, validity,
 * nonce, grant, capacity): the owner's local policy, consent, the paths tasks must never reach,
 * and the audit trail every step is written to.
 *
 * <p>Two shapes. {@link #enforcing} is a real node's: shell tasks pass the {@code CommandGate} and
 * the isolation minimum before they are accepted, fs tasks may not name a {@link ProtectedPaths
 * protected path}, and the consent mode of the policy decides whether the owner is asked. {@link
 * #unchecked} skips all of that (simulated fleets, tests of the tunnel alone) and only records.
 * Nothing here can be changed after construction, in particular not by anything from the hub.
 * Immutable; thread-safe.
 */
public final class TaskControls {
  private final Optional<NodePolicy> policy;
  private final Optional<String> machineRefusal;
  private final String isolation;
  private final AuditTrail audit;
  private final Optional<ConsentBroker> consent;
  private final ConsentPolicy consentPolicy;
  private final ProtectedPaths protectedPaths;

  private TaskControls(
      Optional<NodePolicy> policy,
      Optional<String> machineRefusal,
      String isolation,
      AuditTrail audit,
      Optional<ConsentBroker> consent,
      ProtectedPaths protectedPaths) {
    this.policy = policy;
    this.machineRefusal = machineRefusal;
    this.isolation = isolation;
    this.audit = Objects.requireNonNull(audit, "audit");
    this.consent = consent;
    this.protectedPaths = Objects.requireNonNull(protectedPaths, "protectedPaths");
    this.consentPolicy =
        new ConsentPolicy(
            new SafeCommandClassifier(
                policy.map(p -> p.workspaceRoots().stream().map(WorkspaceRoot::path).toList()).orElse(java.util.List.of())));
  }

  /**
   * A real node's controls.
   *
   * @param policy the owner's policy, the same the shell runner enforces
   * @param isolation what the machine offers; below the policy's minimum, shell tasks are refused
   *     as POLICY before they are accepted
   * @param consent asks the owner (its timeout is the consent deadline)
   * @param protectedPaths the policy file, state directory, audit log and consent socket
   * @throws IllegalArgumentException if the policy's run-as user does not exist here
   */
  public static TaskControls enforcing(
      NodePolicy policy, IsolationReport isolation, ConsentBroker consent, ProtectedPaths protectedPaths, AuditTrail audit) {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(isolation, "isolation");
    Objects.requireNonNull(consent, "consent");
    Optional<String> refusal = new SandboxLauncher(isolation, policy).refusal();
    return new TaskControls(
        Optional.of(policy), refusal, isolation.level().wireName(), audit, Optional.of(consent), protectedPaths);
  }

  /** No policy checks and no consent, only the audit trail (simulation, tunnel tests). */
  public static TaskControls unchecked(AuditTrail audit) {
    return new TaskControls(Optional.empty(), Optional.empty(), "none", audit, Optional.empty(), ProtectedPaths.none());
  }

  /** The policy enforced before acceptance; empty when {@link #unchecked}. */
  public Optional<NodePolicy> policy() {
    return policy;
  }

  /** Why no shell task may run on this machine under the policy (isolation below its minimum). */
  public Optional<String> machineRefusal() {
    return machineRefusal;
  }

  /** The isolation level shell tasks get ({@code IsolationLevel.wireName()}), for the audit trail. */
  public String isolation() {
    return isolation;
  }

  public AuditTrail audit() {
    return audit;
  }

  public Optional<ConsentBroker> consent() {
    return consent;
  }

  public ProtectedPaths protectedPaths() {
    return protectedPaths;
  }

  ConsentPolicy consentPolicy() {
    return consentPolicy;
  }

  /** The consent mode as the consent package names it; AUTO when unchecked (nobody is asked). */
  ConsentMode consentMode() {
    return policy
        .map(p -> ConsentMode.fromWireName(p.consentMode().wireName()).orElseThrow())
        .orElse(ConsentMode.AUTO);
  }
}
