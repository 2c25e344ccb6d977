package io.cortexhub.e2e.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A node policy file ({@code run --policy}, see docs/policy-reference.md) for a test node, allowing exactly
 * the commands its tests run. Starts from: consent {@code auto}, network off, tasks run as {@code nobody}, no
 * commands, no workspace roots. Immutable: each {@code with...} returns a new policy.
 */
public final class TestPolicy {
  private final String consent;
  private final boolean network;
  private final List<String> commands;
  private final List<String> envAllow;
  private final List<String> workspaces;

  private TestPolicy(String consent, boolean network, List<String> commands, List<String> envAllow, List<String> workspaces) {
    this.consent = consent;
    this.network = network;
    this.commands = List.copyOf(commands);
    this.envAllow = List.copyOf(envAllow);
    this.workspaces = List.copyOf(workspaces);
  }

  /** Nothing allowed yet; consent auto; no network. */
  public static TestPolicy autoConsent() {
    return new TestPolicy("auto", false, List.of(), List.of(), List.of());
  }

  /** {@code strict}, {@code auto-approve-safe} or {@code auto}. */
  public TestPolicy withConsent(String mode) {
    return new TestPolicy(Objects.requireNonNull(mode), network, commands, envAllow, workspaces);
  }

  public TestPolicy withNetwork(boolean allowed) {
    return new TestPolicy(consent, allowed, commands, envAllow, workspaces);
  }

  /** Allows the program at {@code path} (resolved to its real path by the agent); no interpreter. */
  public TestPolicy allowing(String path) {
    return withRule("  - path: " + path + "\n");
  }

  /** Allows a shell or interpreter at {@code path}: the owner accepts that it runs what it is handed. */
  public TestPolicy allowingInterpreter(String path) {
    return withRule("  - path: " + path + "\n    interpreter: true\n");
  }

  /** Lets tasks set the environment variable {@code name}. */
  public TestPolicy allowingEnv(String name) {
    List<String> env = new ArrayList<>(envAllow);
    env.add(name);
    return new TestPolicy(consent, network, commands, env, workspaces);
  }

  /** A workspace root tasks may use. */
  public TestPolicy withWorkspace(Path root, boolean writable) {
    List<String> roots = new ArrayList<>(workspaces);
    roots.add("  - path: " + root.toAbsolutePath() + "\n    writable: " + writable + "\n");
    return new TestPolicy(consent, network, commands, envAllow, roots);
  }

  private TestPolicy withRule(String rule) {
    List<String> rules = new ArrayList<>(commands);
    rules.add(rule);
    return new TestPolicy(consent, network, rules, envAllow, workspaces);
  }

  /** The YAML text. */
  public String render() {
    StringBuilder out = new StringBuilder("version: 1\n");
    out.append("consent: ").append(consent).append('\n');
    out.append("runAs: nobody\n");
    out.append("network: ").append(network).append('\n');
    if (!envAllow.isEmpty()) {
      out.append("envAllow: [").append(String.join(", ", envAllow)).append("]\n");
    }
    if (!workspaces.isEmpty()) {
      out.append("workspaces:\n");
      workspaces.forEach(out::append);
    }
    if (!commands.isEmpty()) {
      out.append("commands:\n");
      commands.forEach(out::append);
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return render();
  }
}
