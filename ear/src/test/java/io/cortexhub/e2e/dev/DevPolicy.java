package io.cortexhub.e2e.dev;

import io.cortexhub.e2e.support.NodeProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The dev stack's local node policy: a handful of harmless, read-only commands (those of them this machine
 * has), no interpreters, consent {@code auto} so a developer's curl runs at once, no network, and one
 * writable workspace root under {@code .cortex-dev/workspace}. Tasks run as {@code nobody} when the launcher
 * runs as root, else as the developer's own user (an agent that is not root cannot switch users).
 */
final class DevPolicy {
  /** Candidates; only those present on the machine are allowed (a policy naming a missing file does not load). */
  private static final List<String> COMMANDS =
      List.of("/usr/bin/echo", "/usr/bin/uname", "/usr/bin/date", "/usr/bin/pwd", "/usr/bin/ls", "/usr/bin/cat",
          "/usr/bin/id", "/usr/bin/whoami", "/usr/bin/wc", "/usr/bin/head", "/usr/bin/sleep", "/usr/bin/true");

  private DevPolicy() {}

  static NodeProcess.Options nodeOptions(Path devDir) {
    return NodeProcess.Options.defaults()
        .withLabels(Map.of("env", "dev"))
        .withMaxTasks(4)
        .withPolicy(yaml(workspace(devDir)));
  }

  /** One line for the welcome text. */
  static String describe() {
    return "its policy allows " + String.join(", ", present().stream().map(p -> Path.of(p).getFileName().toString()).toList())
        + "; consent auto; no network";
  }

  static String yaml(Path workspace) {
    boolean root = "root".equals(System.getProperty("user.name"));
    StringBuilder out = new StringBuilder();
    out.append("# The dev stack's local node (written by io.cortexhub.e2e.dev.DevStack on every start).\n");
    out.append("version: 1\n");
    out.append("consent: auto\n");
    out.append("runAs: ").append(root ? "nobody" : "agent").append('\n');
    out.append("network: false\n");
    out.append("workspaces:\n");
    out.append("  - path: ").append(workspace).append('\n');
    out.append("    writable: true\n");
    out.append("commands:\n");
    for (String command : present()) {
      out.append("  - path: ").append(command).append('\n');
    }
    return out.toString();
  }

  private static List<String> present() {
    return COMMANDS.stream().filter(c -> Files.isExecutable(Path.of(c))).toList();
  }

  private static Path workspace(Path devDir) {
    Path workspace = devDir.resolve("workspace");
    try {
      Files.createDirectories(workspace);
      return workspace.toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + workspace, e);
    }
  }
}
