package io.cortexhub.node.policy;

import io.cortexhub.node.sandbox.IsolationLevel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The node owner's effective local policy, as loaded by {@link PolicyFile}: what {@code shell} tasks
 * may run and how they are confined. Immutable; read by the hub through the manifest ({@link
 * #render()}, {@link #digest()}) and never changed by it.
 *
 * @param workspaceRoots directories tasks may use (read-only or read-write), as real paths
 * @param networkAllowed whether tasks keep the host's network; off = an empty network namespace
 * @param runAsUser the user tasks run as ({@code user}, {@code user:group}, or numeric ids); empty =
 *     the agent's own user (no privilege drop)
 * @param envAllowList names of variables a task may set; {@code PREFIX*} allows a family
 * @param defaultLimits per-task resource quotas
 * @param consentMode what the owner must approve
 * @param minimumIsolation the weakest isolation the owner accepts: weaker = refuse to run
 * @param commands the executables tasks may run, by real path, with their argument rules
 * @param searchPath the {@code PATH} used to resolve argv[0] and given to tasks (never the task's own)
 * @param readOnlyPaths extra host paths shown read-only inside the bubblewrap sandbox (toolchains)
 */
public record NodePolicy(
    List<WorkspaceRoot> workspaceRoots,
    boolean networkAllowed,
    Optional<String> runAsUser,
    List<String> envAllowList,
    ResourceLimits defaultLimits,
    ConsentMode consentMode,
    IsolationLevel minimumIsolation,
    List<CommandRule> commands,
    String searchPath,
    List<Path> readOnlyPaths) {
  /** Used when the policy names no search path. */
  public static final String DEFAULT_SEARCH_PATH = "/usr/local/bin:/usr/bin:/bin";

  public NodePolicy {
    workspaceRoots = List.copyOf(workspaceRoots);
    Objects.requireNonNull(runAsUser, "runAsUser");
    envAllowList = List.copyOf(envAllowList);
    Objects.requireNonNull(defaultLimits, "defaultLimits");
    Objects.requireNonNull(consentMode, "consentMode");
    Objects.requireNonNull(minimumIsolation, "minimumIsolation");
    commands = List.copyOf(commands);
    Objects.requireNonNull(searchPath, "searchPath");
    readOnlyPaths = List.copyOf(readOnlyPaths);
  }

  /** The rule for an executable's real path, if the policy has one. */
  public Optional<CommandRule> ruleFor(Path realPath) {
    return commands.stream().filter(c -> c.path().equals(realPath)).findFirst();
  }

  /** The canonical YAML text of this policy: same policy, same text, whatever the file looked like. */
  public String render() {
    return PolicyRenderer.render(this);
  }

  /** Hex SHA-256 of {@link #render()}, for a quick comparison on the hub. */
  public String digest() {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(render().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  public NodePolicy withWorkspaceRoots(List<WorkspaceRoot> roots) {
    return new NodePolicy(roots, networkAllowed, runAsUser, envAllowList, defaultLimits, consentMode,
        minimumIsolation, commands, searchPath, readOnlyPaths);
  }

  public NodePolicy withNetworkAllowed(boolean allowed) {
    return new NodePolicy(workspaceRoots, allowed, runAsUser, envAllowList, defaultLimits, consentMode,
        minimumIsolation, commands, searchPath, readOnlyPaths);
  }

  public NodePolicy withRunAsUser(Optional<String> user) {
    return new NodePolicy(workspaceRoots, networkAllowed, user, envAllowList, defaultLimits, consentMode,
        minimumIsolation, commands, searchPath, readOnlyPaths);
  }

  public NodePolicy withEnvAllowList(List<String> names) {
    return new NodePolicy(workspaceRoots, networkAllowed, runAsUser, names, defaultLimits, consentMode,
        minimumIsolation, commands, searchPath, readOnlyPaths);
  }

  public NodePolicy withDefaultLimits(ResourceLimits limits) {
    return new NodePolicy(workspaceRoots, networkAllowed, runAsUser, envAllowList, limits, consentMode,
        minimumIsolation, commands, searchPath, readOnlyPaths);
  }

  public NodePolicy withConsentMode(ConsentMode mode) {
    return new NodePolicy(workspaceRoots, networkAllowed, runAsUser, envAllowList, defaultLimits, mode,
        minimumIsolation, commands, searchPath, readOnlyPaths);
  }

  public NodePolicy withMinimumIsolation(IsolationLevel level) {
    return new NodePolicy(workspaceRoots, networkAllowed, runAsUser, envAllowList, defaultLimits, consentMode,
        level, commands, searchPath, readOnlyPaths);
  }

  public NodePolicy withCommands(List<CommandRule> rules) {
    return new NodePolicy(workspaceRoots, networkAllowed, runAsUser, envAllowList, defaultLimits, consentMode,
        minimumIsolation, rules, searchPath, readOnlyPaths);
  }
}
