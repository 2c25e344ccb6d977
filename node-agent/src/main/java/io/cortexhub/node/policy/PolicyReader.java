package io.cortexhub.node.policy;

import io.cortexhub.node.sandbox.IsolationLevel;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.snakeyaml.engine.v2.nodes.Node;

/** Turns the YAML tree of a policy file into a {@link NodePolicy}, checking every value. One per load. */
final class PolicyReader {
  private static final List<String> TOP =
      List.of("version", "consent", "minimumIsolation", "runAs", "network", "searchPath", "envAllow",
          "readOnlyPaths", "workspaces", "limits", "commands");
  private static final List<String> ROOT_KEYS = List.of("path", "writable");
  private static final List<String> LIMIT_KEYS = List.of("memory", "cpu", "processes", "wallTime");
  private static final List<String> COMMAND_KEYS =
      List.of("path", "subcommands", "forbiddenFlags", "argPattern", "maxArgs", "interpreter");
  /** System trees a writable root must not be, contain, or lie in. */
  private static final List<Path> SYSTEM =
      List.of("/etc", "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/boot", "/proc",
              "/sys", "/dev", "/var/lib", "/var/log").stream().map(Path::of).toList();
  private static final Pattern USER = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,31}|[0-9]{1,10}");
  private static final Pattern SIZE = Pattern.compile("([0-9]+)([KMG]i?B?|B)?");
  private static final Pattern DURATION = Pattern.compile("([0-9]+)(ms|s|m|h)?");

  private final YamlTree yaml;

  PolicyReader(YamlTree yaml) {
    this.yaml = yaml;
  }

  NodePolicy read(String text) {
    Map<String, Node> top = yaml.root(text);
    yaml.onlyKeys(top, "the policy", TOP);
    NodePolicy d = PolicyFile.defaults();
    if (top.containsKey("version") && yaml.integer(top.get("version"), "version", 1, 1) != 1) {
      throw yaml.error(top.get("version"), "version", "only version 1 exists");
    }
    ConsentMode consent = d.consentMode();
    if (top.containsKey("consent")) {
      String v = yaml.scalar(top.get("consent"), "consent");
      consent = ConsentMode.fromWireName(v).orElseThrow(
          () -> yaml.error(top.get("consent"), "consent", "expected strict, auto-approve-safe or auto, got '" + v + "'"));
    }
    IsolationLevel minimum = d.minimumIsolation();
    if (top.containsKey("minimumIsolation")) {
      String v = yaml.scalar(top.get("minimumIsolation"), "minimumIsolation");
      minimum = IsolationLevel.fromWireName(v).orElseThrow(() -> yaml.error(top.get("minimumIsolation"),
          "minimumIsolation", "expected none, setpriv, unshare or bubblewrap, got '" + v + "'"));
    }
    Optional<String> runAs = d.runAsUser();
    if (top.containsKey("runAs")) {
      runAs = runAs(top.get("runAs"));
    }
    boolean network = top.containsKey("network") ? yaml.bool(top.get("network"), "network") : d.networkAllowed();
    String searchPath = top.containsKey("searchPath") ? searchPath(top.get("searchPath")) : d.searchPath();
    List<String> env = top.containsKey("envAllow") ? envAllow(top.get("envAllow")) : d.envAllowList();
    List<Path> readOnly = new ArrayList<>();
    if (top.containsKey("readOnlyPaths")) {
      for (Node n : yaml.sequence(top.get("readOnlyPaths"), "readOnlyPaths")) {
        readOnly.add(existing(n, "readOnlyPaths", true));
      }
    }
    List<WorkspaceRoot> roots = top.containsKey("workspaces") ? roots(top.get("workspaces")) : List.of();
    ResourceLimits limits = top.containsKey("limits") ? limits(top.get("limits")) : d.defaultLimits();
    List<CommandRule> commands = top.containsKey("commands") ? commands(top.get("commands"), roots) : List.of();
    return new NodePolicy(roots, network, runAs, env, limits, consent, minimum, commands, searchPath, readOnly);
  }

  private Optional<String> runAs(Node n) {
    String v = yaml.scalar(n, "runAs");
    if (v.equals(PolicyFile.RUN_AS_AGENT)) {
      return Optional.empty();
    }
    String[] parts = v.split(":", -1);
    if (parts.length > 2 || !USER.matcher(parts[0]).matches() || (parts.length == 2 && !USER.matcher(parts[1]).matches())) {
      throw yaml.error(n, "runAs", "expected user, user:group, uid:gid or 'agent', got '" + v + "'");
    }
    if (parts[0].equals("root") || parts[0].equals("0")) {
      throw yaml.error(n, "runAs", "tasks never run as root; use 'agent' to keep the agent's own user");
    }
    return Optional.of(v);
  }

  private String searchPath(Node n) {
    String v = yaml.scalar(n, "searchPath");
    for (String dir : v.split(":", -1)) {
      if (dir.isEmpty() || !dir.startsWith("/")) {
        throw yaml.error(n, "searchPath", "every entry must be an absolute directory; got '" + dir + "'");
      }
    }
    return v;
  }

  private List<String> envAllow(Node n) {
    List<String> out = yaml.strings(n, "envAllow");
    for (String e : out) {
      Optional<String> bad = EnvRules.badEntry(e);
      if (bad.isPresent()) {
        throw yaml.error(n, "envAllow", bad.get());
      }
    }
    return out;
  }

  private List<WorkspaceRoot> roots(Node n) {
    List<WorkspaceRoot> out = new ArrayList<>();
    Set<Path> seen = new HashSet<>();
    for (Node item : yaml.sequence(n, "workspaces")) {
      Map<String, Node> m = yaml.mapping(item, "workspaces");
      yaml.onlyKeys(m, "a workspace", ROOT_KEYS);
      if (!m.containsKey("path")) {
        throw yaml.error(item, "workspaces", "each workspace needs a path");
      }
      Path real = existing(m.get("path"), "path", true);
      boolean writable = m.containsKey("writable") && yaml.bool(m.get("writable"), "writable");
      if (real.getNameCount() == 0) {
        throw yaml.error(m.get("path"), "path", "the whole file system cannot be a workspace root");
      }
      for (Path sys : List.of(Path.of("/proc"), Path.of("/sys"), Path.of("/dev"))) {
        if (real.startsWith(sys)) {
          throw yaml.error(m.get("path"), "path", real + " is a kernel file system, not a workspace");
        }
      }
      if (writable) {
        for (Path sys : SYSTEM) {
          if (real.startsWith(sys) || sys.startsWith(real)) {
            throw yaml.error(m.get("path"), "path", "a writable root must not be, contain or lie in " + sys + ": " + real);
          }
        }
      }
      if (!seen.add(real)) {
        throw yaml.error(m.get("path"), "path", "workspace " + real + " is listed twice");
      }
      out.add(new WorkspaceRoot(real, writable));
    }
    return out;
  }

  private ResourceLimits limits(Node n) {
    Map<String, Node> m = yaml.mapping(n, "limits");
    yaml.onlyKeys(m, "limits", LIMIT_KEYS);
    ResourceLimits d = PolicyFile.defaultLimits();
    long memory = m.containsKey("memory") ? size(m.get("memory")) : d.memoryBytes();
    int cpu = m.containsKey("cpu") ? cpu(m.get("cpu")) : d.cpuMillis();
    int processes = m.containsKey("processes") ? yaml.integer(m.get("processes"), "processes", 0, 1_000_000) : d.maxProcesses();
    Duration wall = m.containsKey("wallTime") ? duration(m.get("wallTime")) : d.wallTime();
    if (memory != 0 && memory < 4L << 20) {
      throw yaml.error(m.get("memory"), "memory", "at least 4M (or 0 for no limit): less cannot start a process");
    }
    return new ResourceLimits(memory, cpu, processes, wall);
  }

  private long size(Node n) {
    String v = yaml.scalar(n, "memory");
    Matcher mt = SIZE.matcher(v);
    if (!mt.matches()) {
      throw yaml.error(n, "memory", "expected bytes or a size like 512M or 2G, got '" + v + "'");
    }
    long unit = switch (mt.group(2) == null ? "" : mt.group(2).substring(0, 1)) {
      case "K" -> 1L << 10;
      case "M" -> 1L << 20;
      case "G" -> 1L << 30;
      default -> 1;
    };
    try {
      return Math.multiplyExact(Long.parseLong(mt.group(1)), unit);
    } catch (ArithmeticException | NumberFormatException e) {
      throw yaml.error(n, "memory", "too large: '" + v + "'");
    }
  }

  private int cpu(Node n) {
    String v = yaml.scalar(n, "cpu");
    try {
      BigDecimal millis = v.endsWith("m") ? new BigDecimal(v.substring(0, v.length() - 1)) : new BigDecimal(v).movePointRight(3);
      if (millis.signum() < 0 || millis.compareTo(BigDecimal.valueOf(1_000_000)) > 0 || millis.stripTrailingZeros().scale() > 0) {
        throw yaml.error(n, "cpu", "expected CPUs (1.5) or millicores (500m) between 0 and 1000, got '" + v + "'");
      }
      return millis.intValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      throw yaml.error(n, "cpu", "expected CPUs (1.5) or millicores (500m), got '" + v + "'");
    }
  }

  private Duration duration(Node n) {
    String v = yaml.scalar(n, "wallTime");
    Matcher mt = DURATION.matcher(v);
    if (!mt.matches() || mt.group(1).length() > 12) {
      throw yaml.error(n, "wallTime", "expected a duration like 90s, 30m, 2h or 1500ms, got '" + v + "'");
    }
    long amount = Long.parseLong(mt.group(1));
    return switch (mt.group(2) == null ? "ms" : mt.group(2)) {
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofMillis(amount);
    };
  }

  private List<CommandRule> commands(Node n, List<WorkspaceRoot> roots) {
    List<CommandRule> out = new ArrayList<>();
    Set<Path> seen = new HashSet<>();
    for (Node item : yaml.sequence(n, "commands")) {
      Map<String, Node> m = yaml.mapping(item, "commands");
      yaml.onlyKeys(m, "a command", COMMAND_KEYS);
      if (!m.containsKey("path")) {
        throw yaml.error(item, "commands", "each command needs a path");
      }
      Node pathNode = m.get("path");
      Path real = existing(pathNode, "path", false);
      if (!Files.isRegularFile(real) || !Files.isExecutable(real)) {
        throw yaml.error(pathNode, "path", real + " is not an executable file");
      }
      for (WorkspaceRoot r : roots) {
        if (r.writable() && r.contains(real)) {
          throw yaml.error(pathNode, "path", real + " lies in the writable workspace " + r.path() + ": a task could replace it");
        }
      }
      try {
        PolicyFile.checkNotWritableByOthers(real, "command");
        // A directory others may write lets them swap the file between the check and execve.
        PolicyFile.checkNotWritableByOthers(real.getParent(), "the directory of command");
      } catch (PolicyException e) {
        throw yaml.error(pathNode, "path", e.getMessage());
      }
      if (!seen.add(real)) {
        throw yaml.error(pathNode, "path", real + " has two rules; merge them");
      }
      List<String> subs = m.containsKey("subcommands") ? yaml.strings(m.get("subcommands"), "subcommands") : List.of();
      List<String> flags = m.containsKey("forbiddenFlags") ? yaml.strings(m.get("forbiddenFlags"), "forbiddenFlags") : List.of();
      Optional<String> pattern = Optional.empty();
      if (m.containsKey("argPattern")) {
        String p = yaml.scalar(m.get("argPattern"), "argPattern");
        try {
          Pattern.compile(p);
        } catch (PatternSyntaxException e) {
          throw yaml.error(m.get("argPattern"), "argPattern", "not a valid regular expression: " + e.getDescription());
        }
        pattern = Optional.of(p);
      }
      int maxArgs = m.containsKey("maxArgs") ? yaml.integer(m.get("maxArgs"), "maxArgs", 0, CommandGate.MAX_ARGS) : 0;
      boolean interpreter = m.containsKey("interpreter") && yaml.bool(m.get("interpreter"), "interpreter");
      out.add(new CommandRule(real, subs, flags, pattern, maxArgs, interpreter));
    }
    return out;
  }

  private Path existing(Node n, String key, boolean directory) {
    String v = yaml.scalar(n, key);
    Path p;
    try {
      p = Path.of(v);
    } catch (java.nio.file.InvalidPathException e) {
      throw yaml.error(n, key, "not a path: '" + v + "'");
    }
    if (!p.isAbsolute()) {
      throw yaml.error(n, key, "must be an absolute path, got '" + v + "'");
    }
    try {
      Path real = p.toRealPath();
      if (directory && !Files.isDirectory(real)) {
        throw yaml.error(n, key, v + " is not a directory");
      }
      return real;
    } catch (IOException e) {
      throw yaml.error(n, key, v + " does not exist on this machine");
    }
  }
}
