package io.cortexhub.node.policy;

import io.cortexhub.proto.node.v1.ShellPayload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Decides whether a {@code shell} payload may run under the node's policy, and if so exactly what
 * runs. There is never a shell in between: argv is handed to {@code execve}, so {@code $(...)},
 * backticks, {@code ;}, {@code &&}, newlines and {@code <(...)} in arguments are plain bytes.
 *
 * <p>Checks, in order: argv is not empty and has no NUL; the working directory's real path is the
 * task's own directory or inside a workspace root; argv[0] resolves through the <em>policy's</em>
 * search path (never the task's {@code PATH}) and then to its real path; a rule names exactly that
 * file; shells, interpreters and launchers (by real name, or by file identity with a well-known
 * one) and exec doors in arguments are refused unless the rule says {@code interpreter: true}; the
 * rule's argument checks; every variable the task sets is on the allow-list.
 *
 * <p>A check-then-exec gap remains for files that change between this check and {@code execve};
 * {@link PolicyFile} refuses rules on files that tasks or other users could write, and the sandbox
 * confines whatever runs. Thread-safe (immutable after construction).
 */
public final class CommandGate {
  private static final Logger LOG = Logger.getLogger(CommandGate.class.getName());
  /** Ceilings no rule can raise: they bound memory spent on one payload. */
  static final int MAX_ARGS = 4096;
  static final int MAX_ARG_CHARS = 128 * 1024;
  static final int MAX_ENV = 256;

  private final NodePolicy policy;
  private final Map<Path, Pattern> patterns = new HashMap<>();
  /** File identities (device + inode) of the well-known interpreters found on the search path. */
  private final Map<Object, String> interpreterFiles = new HashMap<>();

  public CommandGate(NodePolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
    for (CommandRule r : policy.commands()) {
      r.argPattern().ifPresent(p -> {
        try {
          patterns.put(r.path(), Pattern.compile(p));
        } catch (PatternSyntaxException e) {
          throw new PolicyException("command " + r.path() + ": argPattern does not compile: " + e.getMessage(), e);
        }
      });
    }
    for (String name : ExecVectors.wellKnownNames()) {
      for (String dir : policy.searchPath().split(":")) {
        Path p = Path.of(dir.isEmpty() ? "/" : dir, name);
        fileKey(p).ifPresent(k -> interpreterFiles.putIfAbsent(k, name));
      }
    }
  }

  /** The policy this gate enforces. */
  public NodePolicy policy() {
    return policy;
  }

  /**
   * Checks a payload.
   *
   * @param taskDir the task's own directory (its default working directory and {@code HOME}); must
   *     exist
   */
  public CommandVerdict check(ShellPayload shell, Path taskDir) {
    CommandVerdict v = decide(shell, taskDir);
    if (v instanceof CommandVerdict.Refused r) {
      LOG.fine("policy refused argv " + printable(shell.getArgvList()) + ": " + r.reason());
    }
    return v;
  }

  private CommandVerdict decide(ShellPayload shell, Path taskDir) {
    List<String> argv = shell.getArgvList();
    if (argv.isEmpty() || argv.get(0).isEmpty()) {
      return refused("argv is empty: there is nothing to run");
    }
    if (argv.size() > MAX_ARGS) {
      return refused("argv has " + argv.size() + " entries; at most " + MAX_ARGS);
    }
    for (String a : argv) {
      if (a.indexOf('\0') >= 0) {
        return refused("an argument contains a NUL character");
      }
      if (a.length() > MAX_ARG_CHARS) {
        return refused("an argument is longer than " + MAX_ARG_CHARS + " characters");
      }
    }
    Path home;
    try {
      home = taskDir.toRealPath();
    } catch (IOException e) {
      return refused("the task directory " + taskDir + " is not usable: " + e.getMessage());
    }
    Path cwd;
    try {
      cwd = workingDir(shell.getWorkingDir(), home);
    } catch (Rejection e) {
      return refused(e.getMessage());
    }
    Optional<Path> exe = resolve(argv.get(0), cwd);
    if (exe.isEmpty()) {
      return refused("cannot start " + argv.get(0) + ": no such executable on the policy's search path");
    }
    Path real = exe.get();
    Optional<CommandRule> found = policy.ruleFor(real);
    if (found.isEmpty()) {
      String via = real.toString().equals(argv.get(0)) ? "" : "'" + argv.get(0) + "' resolves to ";
      return refused(via + real + ", which no command rule of the policy allows");
    }
    CommandRule rule = found.get();
    String name = real.getFileName().toString();
    List<String> args = argv.subList(1, argv.size());
    if (!rule.interpreter()) {
      Optional<String> why = interpreterWhy(real, name);
      if (why.isPresent()) {
        return refused(real + " is " + why.get() + "; the policy allows it only with interpreter: true");
      }
      Optional<String> door = ExecVectors.dangerousArguments(name, args);
      if (door.isPresent()) {
        return refused(door.get() + "; the policy allows that only with interpreter: true");
      }
    }
    Optional<String> argProblem = checkArguments(rule, args);
    if (argProblem.isPresent()) {
      return refused(argProblem.get());
    }
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", policy.searchPath());
    env.put("HOME", home.toString());
    env.put("TMPDIR", home.resolve(".tmp").toString());
    if (shell.getEnvCount() > MAX_ENV) {
      return refused("the task sets " + shell.getEnvCount() + " environment variables; at most " + MAX_ENV);
    }
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(shell.getEnvMap()).entrySet()) {
      Optional<String> envProblem = checkVariable(e.getKey(), e.getValue());
      if (envProblem.isPresent()) {
        return refused(envProblem.get());
      }
      env.put(e.getKey(), e.getValue());
    }
    env.putAll(ExecVectors.hardening(name));
    List<String> out = new ArrayList<>(argv);
    out.set(0, real.toString());
    return new CommandVerdict.Allowed(out, cwd, env);
  }

  private Path workingDir(String given, Path home) {
    if (given.isEmpty()) {
      return home;
    }
    if (given.indexOf('\0') >= 0) {
      throw new Rejection("the working directory contains a NUL character");
    }
    Path p = Path.of(given);
    if (!p.isAbsolute()) {
      throw new Rejection("working directory " + given + " is not an absolute path");
    }
    Path real;
    try {
      real = p.toRealPath();
    } catch (IOException e) {
      throw new Rejection("working directory " + given + " does not exist or is not a directory");
    }
    if (!Files.isDirectory(real)) {
      throw new Rejection("working directory " + given + " does not exist or is not a directory");
    }
    boolean inside = real.startsWith(home) || policy.workspaceRoots().stream().anyMatch(r -> r.contains(real));
    if (!inside) {
      throw new Rejection("working directory " + real + " is outside the task's directory and every workspace root");
    }
    return real;
  }

  /** argv[0] to a real path: relative names with a slash from the working directory, others via the policy's PATH. */
  private Optional<Path> resolve(String exe, Path cwd) {
    List<Path> candidates = new ArrayList<>();
    if (exe.contains("/")) {
      candidates.add(cwd.resolve(exe));
    } else {
      for (String dir : policy.searchPath().split(":")) {
        if (!dir.isEmpty() && dir.startsWith("/")) {
          candidates.add(Path.of(dir, exe));
        }
      }
    }
    for (Path c : candidates) {
      try {
        Path real = c.toRealPath();
        if (Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS) && Files.isExecutable(real)) {
          return Optional.of(real);
        }
      } catch (IOException | java.nio.file.InvalidPathException e) {
        // Not there (or not a path at all): try the next directory.
      }
    }
    return Optional.empty();
  }

  private Optional<String> interpreterWhy(Path real, String name) {
    Optional<String> byName = ExecVectors.interpreterKind(name);
    if (byName.isPresent()) {
      return byName;
    }
    // The same file under another name (a hard link or a bind): it behaves as what it is.
    return fileKey(real)
        .map(interpreterFiles::get)
        .flatMap(known -> ExecVectors.interpreterKind(known).map(k -> "the same file as " + known + ", " + k));
  }

  private Optional<String> checkArguments(CommandRule rule, List<String> args) {
    int max = rule.maxArgs() == 0 ? MAX_ARGS : rule.maxArgs();
    if (args.size() > max) {
      return Optional.of(rule.path() + " takes at most " + max + " arguments under the policy; got " + args.size());
    }
    if (!rule.subcommands().isEmpty()) {
      if (args.isEmpty() || !rule.subcommands().contains(args.get(0))) {
        String got = args.isEmpty() ? "none" : "'" + args.get(0) + "'";
        return Optional.of(rule.path() + ": the first argument must be one of " + rule.subcommands() + "; got " + got);
      }
    }
    for (String a : args) {
      for (String flag : rule.forbiddenFlags()) {
        if (flagMatches(flag, a)) {
          return Optional.of(rule.path() + ": argument '" + a + "' is forbidden by the policy (" + flag + ")");
        }
      }
    }
    Pattern p = patterns.get(rule.path());
    if (p != null) {
      for (String a : args) {
        if (!p.matcher(a).matches()) {
          return Optional.of(rule.path() + ": argument '" + a + "' does not match the policy's pattern " + p.pattern());
        }
      }
    }
    return Optional.empty();
  }

  /** {@code --long} matches itself and {@code --long=v}; {@code -x} also matches clusters with x. */
  static boolean flagMatches(String flag, String arg) {
    if (arg.equals(flag)) {
      return true;
    }
    if (flag.startsWith("--")) {
      return arg.startsWith(flag + "=");
    }
    if (flag.length() == 2 && flag.charAt(0) == '-' && arg.length() > 1 && arg.charAt(0) == '-'
        && !arg.startsWith("--")) {
      return arg.indexOf(flag.charAt(1), 1) >= 0;
    }
    return false;
  }

  private Optional<String> checkVariable(String name, String value) {
    if (!EnvRules.validName(name)) {
      return Optional.of("environment variable name '" + name + "' is not a plain name");
    }
    if (value.indexOf('\0') >= 0) {
      return Optional.of("environment variable " + name + " contains a NUL character");
    }
    Optional<String> never = EnvRules.neverAllowed(name);
    if (never.isPresent()) {
      return Optional.of("environment variable " + name + " is refused: " + never.get());
    }
    boolean allowed = policy.envAllowList().stream().anyMatch(e -> EnvRules.matches(e, name));
    return allowed ? Optional.empty() : Optional.of("environment variable " + name + " is not on the policy's allow-list");
  }

  private static Optional<Object> fileKey(Path p) {
    try {
      return Optional.ofNullable(Files.readAttributes(p, BasicFileAttributes.class).fileKey());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static CommandVerdict.Refused refused(String reason) {
    return new CommandVerdict.Refused(reason);
  }

  /** argv for a log line: quoted, control characters escaped, long arguments cut. */
  static String printable(List<String> argv) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < Math.min(argv.size(), 16); i++) {
      String a = argv.get(i);
      String cut = a.length() > 120 ? a.substring(0, 120) + "..." : a;
      b.append(i == 0 ? "" : ", ").append(PolicyRenderer.q(cut));
    }
    return b.append(argv.size() > 16 ? ", ...]" : "]").toString();
  }

  /** A refusal raised from a helper; carries only its message. */
  private static final class Rejection extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Rejection(String message) {
      super(message, null, false, false);
    }
  }
}
