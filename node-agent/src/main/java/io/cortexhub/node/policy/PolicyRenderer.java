package io.cortexhub.node.policy;

import java.nio.file.Path;
import java.util.List;

/**
 * Writes a policy as canonical YAML: every key, fixed order, double-quoted strings, sizes in bytes
 * and durations in milliseconds, so that equal policies give equal text and equal digests. The text
 * loads back to the same policy with {@link PolicyFile#parse}. Stateless.
 */
final class PolicyRenderer {
  private PolicyRenderer() {}

  static String render(NodePolicy p) {
    StringBuilder b = new StringBuilder(512);
    b.append("version: 1\n");
    b.append("consent: ").append(q(p.consentMode().wireName())).append('\n');
    b.append("minimumIsolation: ").append(q(p.minimumIsolation().wireName())).append('\n');
    b.append("runAs: ").append(q(p.runAsUser().orElse(PolicyFile.RUN_AS_AGENT))).append('\n');
    b.append("network: ").append(p.networkAllowed()).append('\n');
    b.append("searchPath: ").append(q(p.searchPath())).append('\n');
    b.append("envAllow: ").append(list(p.envAllowList())).append('\n');
    b.append("readOnlyPaths: ").append(list(p.readOnlyPaths().stream().map(Path::toString).toList())).append('\n');
    b.append("workspaces:");
    if (p.workspaceRoots().isEmpty()) {
      b.append(" []");
    }
    b.append('\n');
    for (WorkspaceRoot r : p.workspaceRoots()) {
      b.append("  - path: ").append(q(r.path().toString())).append('\n');
      b.append("    writable: ").append(r.writable()).append('\n');
    }
    ResourceLimits l = p.defaultLimits();
    b.append("limits:\n");
    b.append("  memory: ").append(l.memoryBytes()).append('\n');
    b.append("  cpu: ").append(q(l.cpuMillis() + "m")).append('\n');
    b.append("  processes: ").append(l.maxProcesses()).append('\n');
    b.append("  wallTime: ").append(q(l.wallTime().toMillis() + "ms")).append('\n');
    b.append("commands:");
    if (p.commands().isEmpty()) {
      b.append(" []");
    }
    b.append('\n');
    for (CommandRule c : p.commands()) {
      b.append("  - path: ").append(q(c.path().toString())).append('\n');
      b.append("    subcommands: ").append(list(c.subcommands())).append('\n');
      b.append("    forbiddenFlags: ").append(list(c.forbiddenFlags())).append('\n');
      if (c.argPattern().isPresent()) {
        b.append("    argPattern: ").append(q(c.argPattern().get())).append('\n');
      }
      b.append("    maxArgs: ").append(c.maxArgs()).append('\n');
      b.append("    interpreter: ").append(c.interpreter()).append('\n');
    }
    return b.toString();
  }

  private static String list(List<String> items) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < items.size(); i++) {
      b.append(i == 0 ? "" : ", ").append(q(items.get(i)));
    }
    return b.append(']').toString();
  }

  /** A YAML double-quoted scalar; escapes make any string (control characters too) round-trip. */
  static String q(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append(String.format("\\x%02x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
