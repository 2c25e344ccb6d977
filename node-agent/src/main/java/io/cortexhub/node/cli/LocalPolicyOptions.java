package io.cortexhub.node.cli;

import io.cortexhub.node.policy.PolicyException;
import io.cortexhub.node.sandbox.IsolationProbe;
import io.cortexhub.node.sandbox.IsolationReport;
import io.cortexhub.node.sandbox.Primitive;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code --policy} and {@code --without}: which local policy a command reads and which machine it
 * judges it on; shared by {@code run} and {@code policy check} so both read them the same way.
 */
final class LocalPolicyOptions {
  @Option(
      names = "--policy",
      paramLabel = "FILE",
      description = "The owner's local policy (YAML, see docs/policy-reference.md; default: "
          + "/etc/cortex-node/policy.yaml if it exists, else the built-in safe defaults: no commands, no"
          + " workspace roots, network off, consent strict).")
  Path policyFile;

  @Option(
      names = "--without",
      paramLabel = "PRIMITIVE",
      split = ",",
      converter = PrimitiveName.class,
      description = "Act as if this machine lacked these sandbox primitives (bubblewrap, unshare, setpriv,"
          + " cgroup-v2, cgroup-v1, prlimit; repeatable or comma-separated): the lower isolation is then"
          + " reported, and a policy whose minimumIsolation is higher refuses every shell task. To try a"
          + " policy on a poorer machine, or to step around a tool that is installed but broken.")
  List<Primitive> without = new ArrayList<>();

  /**
   * The policy, loaded and checked.
   *
   * @throws ParameterException naming the file, line and key of what is wrong
   */
  ExecutionSetup.LoadedPolicy load(CommandSpec spec) {
    try {
      return ExecutionSetup.loadPolicy(policyFile);
    } catch (PolicyException e) {
      throw new ParameterException(spec.commandLine(), "--policy: " + e.getMessage());
    }
  }

  /** What this machine offers, less the primitives named by {@code --without}. */
  IsolationReport probe() {
    return new IsolationProbe(Set.copyOf(without)).probe();
  }
}
