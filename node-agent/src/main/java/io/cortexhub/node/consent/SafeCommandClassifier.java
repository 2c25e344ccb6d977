package io.cortexhub.node.consent;

import io.cortexhub.node.policy.ConsentMode;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Decides whether a command is safe to run without asking under {@link
 * ConsentMode#AUTO_APPROVE_SAFE}: it only reads, and only inside the workspace.
 *
 * <p>Conservative by construction — everything is unsafe unless the table in {@link SafeCommands}
 * says otherwise:
 *
 * <ul>
 *   <li>argv[0] must be a known read-only command, named bare ({@code ls}) or by its path in
 *       {@code /bin}, {@code /usr/bin} or {@code /usr/local/bin} (so {@code ./ls} or {@code
 *       /tmp/x/cat} are unknown);
 *   <li>every option must be on that command's allow-list (GNU abbreviations such as {@code
 *       --out} are therefore unknown, not guessed);
 *   <li>every operand and option value that could name a file must stay inside the workspace: no
 *       {@code ..} segment, no {@code ~}, and an absolute path only under one of the given roots;
 *   <li>{@code git}: no global option but {@code --no-pager}, {@code --no-optional-locks} and
 *       {@code -C DIR} ({@code -c alias.x=!sh} or {@code -c core.pager=...} run programs); only
 *       {@code status}, {@code log}, {@code diff}, {@code show};
 *   <li>{@code find}: only tests and printing actions ({@code -delete}, {@code -exec}, {@code -ok},
 *       {@code -fprint}... are unsafe).
 * </ul>
 *
 * <p>There is no shell, so redirections, pipes and substitutions are not a concern here: {@code
 * $(...)} or {@code >} in an argument is just text handed to the program.
 *
 * <p>Residual risk, stated: a repository's own config can make {@code git status/diff/log} run a
 * program (e.g. {@code core.fsmonitor}, a diff driver's {@code textconv}); only the sandbox
 * contains that. Immutable and thread-safe.
 */
public final class SafeCommandClassifier {
  /** The verdict with its reason (for logs and the consent prompt). */
  public record Classification(boolean safe, String reason) {
    static Classification ok(String why) {
      return new Classification(true, why);
    }

    static Classification unsafe(String why) {
      return new Classification(false, why);
    }
  }

  private final List<Path> roots;

  /** A classifier that treats every absolute path as outside the workspace. */
  public SafeCommandClassifier() {
    this(List.of());
  }

  /** @param roots workspace roots (absolute); absolute paths under them count as inside */
  public SafeCommandClassifier(List<Path> roots) {
    this.roots = roots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
  }

  public boolean isSafe(List<String> argv) {
    return classify(argv).safe();
  }

  public Classification classify(List<String> argv) {
    Objects.requireNonNull(argv, "argv");
    if (argv.isEmpty() || argv.get(0).isEmpty()) {
      return Classification.unsafe("empty command");
    }
    for (String a : argv) {
      if (a.indexOf('\0') >= 0) {
        return Classification.unsafe("NUL byte in an argument");
      }
    }
    String cmd = argv.get(0);
    String name = cmd;
    if (cmd.indexOf('/') >= 0) {
      Path p = Path.of(cmd);
      Path parent = p.getParent();
      if (!p.isAbsolute() || !p.normalize().toString().equals(cmd) || parent == null
          || !SafeCommands.TRUSTED_BIN_DIRS.contains(parent.toString())) {
        return Classification.unsafe("command " + cmd + " is not a system command");
      }
      name = p.getFileName().toString();
    }
    List<String> args = argv.subList(1, argv.size());
    if (name.equals("git")) {
      return git(args);
    }
    if (name.equals("find")) {
      return find(args);
    }
    OptionRule rule = SafeCommands.COMMANDS.get(name);
    if (rule == null) {
      return Classification.unsafe(name + " is not a known read-only command");
    }
    return options(rule, args);
  }

  private Classification git(List<String> args) {
    int i = 0;
    while (i < args.size() && args.get(i).startsWith("-")) {
      String a = args.get(i);
      if (a.equals("--no-pager") || a.equals("--no-optional-locks")) {
        i++;
      } else if (a.equals("-C") && i + 1 < args.size()) {
        if (!confined(args.get(i + 1))) {
          return Classification.unsafe("git -C " + args.get(i + 1) + " leaves the workspace");
        }
        i += 2;
      } else {
        return Classification.unsafe("git option " + a
            + " is not known to be harmless (-c and --config-env can make git run any program)");
      }
    }
    if (i >= args.size()) {
      return Classification.unsafe("git without a subcommand");
    }
    String sub = args.get(i);
    OptionRule rule = SafeCommands.GIT.get(sub);
    if (rule == null) {
      return Classification.unsafe("git " + sub + " is not a read-only git command");
    }
    return options(rule, args.subList(i + 1, args.size()));
  }

  private Classification find(List<String> args) {
    int i = 0;
    while (i < args.size() && (args.get(i).equals("-H") || args.get(i).equals("-L") || args.get(i).equals("-P"))) {
      i++;
    }
    for (; i < args.size() && !isFindExpression(args.get(i)); i++) {
      if (!confined(args.get(i))) {
        return Classification.unsafe("find starting point " + args.get(i) + " is outside the workspace");
      }
    }
    while (i < args.size()) {
      String p = args.get(i);
      Integer arity = SafeCommands.FIND_PREDICATES.get(p);
      if (arity == null) {
        return Classification.unsafe("find " + p + " is not a read-only test (-delete, -exec, -ok, -fprint... change"
            + " files or run programs)");
      }
      if (arity > 0 && i + arity >= args.size()) {
        return Classification.unsafe("find " + p + " needs an argument");
      }
      if (arity > 0 && SafeCommands.FIND_PATH_ARGUMENTS.contains(p) && !confined(args.get(i + 1))) {
        return Classification.unsafe("find " + p + " " + args.get(i + 1) + " is outside the workspace");
      }
      i += 1 + arity;
    }
    return Classification.ok("find with read-only tests");
  }

  private static boolean isFindExpression(String a) {
    return a.startsWith("-") || a.equals("(") || a.equals(")") || a.equals("!") || a.equals(",");
  }

  private Classification options(OptionRule r, List<String> args) {
    boolean endOfOptions = false;
    int operands = 0;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (!endOfOptions && a.equals("--")) {
        endOfOptions = true;
      } else if (!endOfOptions && a.startsWith("--")) {
        int eq = a.indexOf('=');
        String opt = eq < 0 ? a : a.substring(0, eq);
        String value = eq < 0 ? null : a.substring(eq + 1);
        if (r.anyOption() || (r.longFlags().contains(opt) && value == null)) {
          continue;
        }
        if (r.longValued().contains(opt) && value == null) {
          if (++i >= args.size()) {
            return Classification.unsafe(r.name() + " " + opt + " needs a value");
          }
          value = args.get(i);
        } else if (!r.longValued().contains(opt) && !r.longOptional().contains(opt)) {
          return Classification.unsafe(r.name() + " option " + a + " is not known to be read-only");
        }
        if (value != null && !confined(value)) {
          return Classification.unsafe(r.name() + " " + opt + " " + value + " leaves the workspace");
        }
      } else if (!endOfOptions && a.startsWith("-") && a.length() > 1) {
        if (r.anyOption() || (r.numericShort() && a.substring(1).chars().allMatch(Character::isDigit))) {
          continue;
        }
        Cluster c = shortCluster(r, args, i);
        if (!c.verdict().safe()) {
          return c.verdict();
        }
        if (c.consumedNext()) {
          i++;
        }
      } else {
        operands++;
        if (r.maxOperands() >= 0 && operands > r.maxOperands()) {
          return Classification.unsafe(r.name() + " takes at most " + r.maxOperands()
              + " operand(s) read-only (another is an output file or a setting)");
        }
        if (r.operandsArePaths() && !confined(a)) {
          return Classification.unsafe(r.name() + " " + a + " is outside the workspace");
        }
      }
    }
    return Classification.ok(r.name() + " only reads");
  }

  private record Cluster(Classification verdict, boolean consumedNext) {
    static Cluster unsafe(String why) {
      return new Cluster(Classification.unsafe(why), false);
    }
  }

  /** Checks one {@code -abc} cluster, whose last letter may take the rest or the next argument as value. */
  private Cluster shortCluster(OptionRule r, List<String> args, int i) {
    String a = args.get(i);
    for (int j = 1; j < a.length(); j++) {
      char c = a.charAt(j);
      if (r.flags().indexOf(c) >= 0) {
        continue;
      }
      boolean attachedOnly = r.attached().indexOf(c) >= 0;
      if (!attachedOnly && r.valued().indexOf(c) < 0) {
        return Cluster.unsafe(r.name() + " option -" + c + " is not known to be read-only");
      }
      boolean consumedNext = false;
      String value = a.substring(j + 1);
      if (value.isEmpty() && !attachedOnly) {
        if (i + 1 >= args.size()) {
          return Cluster.unsafe(r.name() + " -" + c + " needs a value");
        }
        value = args.get(i + 1);
        consumedNext = true;
      }
      if (!confined(value)) {
        return Cluster.unsafe(r.name() + " -" + c + " " + value + " leaves the workspace");
      }
      return new Cluster(Classification.ok("ok"), consumedNext);
    }
    return new Cluster(Classification.ok("ok"), false);
  }

  /** Whether an argument that may name a file stays inside the workspace (lexically). */
  boolean confined(String arg) {
    if (arg.startsWith("~")) {
      return false;
    }
    for (String segment : arg.split("/", -1)) {
      if (segment.equals("..")) {
        return false;
      }
    }
    if (!arg.startsWith("/")) {
      return true;
    }
    Path p = Path.of(arg).normalize();
    return roots.stream().anyMatch(p::startsWith);
  }
}
