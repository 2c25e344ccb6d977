package io.cortexhub.node.policy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Knowledge of programs that run other programs or code handed to them: shells and language
 * interpreters, launchers ({@code env}, {@code xargs}, {@code sudo}, {@code timeout}, ...), editors
 * and pagers with a shell escape, and ordinary tools with an exec door ({@code find -exec}, {@code
 * git -c core.fsmonitor=...}, {@code tar --to-command}). The gate refuses them unless the owner's
 * rule says {@code interpreter: true}.
 *
 * <p>Recognition is by the base name of the executable's <em>real</em> path, so a symbolic link
 * named {@code ls} that points at {@code dash} is a shell; a hard link or copy under a harmless name
 * is caught by {@link CommandGate}'s file-identity check or, failing that, simply matches no rule.
 * This is a second net behind the allow-list, not the first. Stateless.
 */
final class ExecVectors {
  private static final Pattern SHELLS =
      Pattern.compile(
          "(ba|da|z|k|mk|pdk|ok|lk|c|tc|y|po|r|e|fi|xon|elvi)?sh|ksh93|fish|ash|rbash|nu|busybox|toybox"
              + "|tmux|screen|script");
  private static final Pattern INTERPRETERS =
      Pattern.compile(
          "(python|pypy|perl|ruby|php|lua|luajit|tclsh|wish|guile|jruby)[0-9.]*|irb|node|nodejs|deno|bun"
              + "|expect|racket|sbcl|clisp|ecl|g?awk|mawk|nawk|original-awk|java|jshell|jrunscript|groovy|scala"
              + "|kotlin|Rscript|R|julia|pwsh|sqlite3|psql|mysql|mariadb|gdb|lldb|ed|red|ex|vi|vim|vim\\..*"
              + "|nvim|view|rvim|emacs.*|nano|pico|less|more|most|man|sed|m4|make|gmake|bmake|cmake|ninja"
              + "|dc|gdbus|dbus-send|socat|nc|ncat|netcat|ssh|sshpass|telnet|ftp|sftp|openssl|gpg|gpg2");
  private static final Pattern LAUNCHERS =
      Pattern.compile(
          "env|xargs|parallel|sudo|sudoedit|su|doas|pkexec|runuser|nohup|setsid|timeout|nice|renice"
              + "|ionice|chroot|unshare|nsenter|setpriv|capsh|stdbuf|time|watch|strace|ltrace|valgrind"
              + "|flock|chrt|taskset|systemd-run|bwrap|firejail|prlimit|cgexec|run-parts"
              + "|start-stop-daemon|daemonize|at|batch|crontab|dbus-launch|xdg-open|sensible-.*"
              + "|x-terminal-emulator|busybox|ld\\.so|ld-linux.*\\.so.*|catchsegv|eatmydata|fakeroot"
              + "|proot|flatpak|snap|docker|podman|kubectl|systemctl|service|dpkg|apt|apt-get|pip[0-9.]*|npm"
              + "|npx|yarn|pnpm|gem|bundle|cargo|go|mvn|gradle");

  private static final Set<String> FIND_EXEC =
      Set.of("-exec", "-execdir", "-ok", "-okdir", "-delete", "-fprint", "-fprint0", "-fprintf", "-fls");
  private static final Set<String> GIT_SUBCOMMANDS_THAT_RUN_PROGRAMS =
      Set.of(
          "difftool", "mergetool", "submodule", "bisect", "filter-branch", "filter-repo", "config",
          "instaweb", "daemon", "send-email", "web--browse", "help", "credential", "credential-cache",
          "credential-store", "upload-pack", "receive-pack", "upload-archive", "shell", "remote-ext",
          "remote-fd", "http-backend", "archimport", "cvsimport", "cvsserver", "svn", "p4", "hook",
          "fsmonitor--daemon", "run-command", "sh-setup", "var");

  private ExecVectors() {}

  /** What kind of code-runner the executable with this real base name is, if it is one. */
  static Optional<String> interpreterKind(String baseName) {
    if (SHELLS.matcher(baseName).matches()) {
      return Optional.of("a shell: it runs whatever command text it is given");
    }
    if (INTERPRETERS.matcher(baseName).matches()) {
      return Optional.of("an interpreter (or a tool with a shell escape): it runs code it is given");
    }
    if (LAUNCHERS.matcher(baseName).matches()) {
      return Optional.of("a launcher: it starts another program named in its arguments");
    }
    return Optional.empty();
  }

  /** Names that {@link CommandGate} looks up on the search path to learn the interpreters' files. */
  static List<String> wellKnownNames() {
    return List.of(
        "sh", "bash", "dash", "zsh", "ksh", "mksh", "csh", "tcsh", "fish", "busybox", "python",
        "python3", "perl", "ruby", "node", "nodejs", "php", "lua", "awk", "gawk", "mawk", "env",
        "xargs", "sudo", "su", "timeout", "nice", "nohup", "setsid", "find", "sed", "vi", "vim", "ed",
        "less", "more", "make", "expect", "tclsh", "java");
  }

  /**
   * Why these arguments open an exec door in an otherwise ordinary tool, if they do.
   *
   * @param args argv without argv[0]
   */
  static Optional<String> dangerousArguments(String baseName, List<String> args) {
    return switch (baseName) {
      case "find" -> args.stream()
          .filter(FIND_EXEC::contains)
          .findFirst()
          .map(a -> "find " + a + " runs commands or changes files");
      case "git" -> git(args);
      case "tar" -> firstPrefixed(args, List.of("--to-command", "--use-compress-program", "-I",
              "--checkpoint-action", "--info-script", "--new-volume-script", "-F", "--rsh-command"))
          .map(a -> "tar " + a + " runs a program");
      case "rsync" -> firstPrefixed(args, List.of("-e", "--rsh", "--rsync-path"))
          .map(a -> "rsync " + a + " runs a program");
      case "sort" -> firstPrefixed(args, List.of("--compress-program"))
          .map(a -> "sort " + a + " runs a program");
      case "split" -> firstPrefixed(args, List.of("--filter"))
          .map(a -> "split " + a + " runs a shell command");
      case "zip" -> firstPrefixed(args, List.of("-TT", "--unzip-command"))
          .map(a -> "zip " + a + " runs a program");
      default -> Optional.empty();
    };
  }

  /**
   * Git has many doors: global options that load configuration or move it elsewhere ({@code -c},
   * {@code --exec-path}, {@code -C}), subcommands that run external programs, and options that name
   * a program ({@code --upload-pack}, {@code --ext-diff}, {@code rebase --exec}).
   */
  private static Optional<String> git(List<String> args) {
    int i = 0;
    for (; i < args.size() && args.get(i).startsWith("-"); i++) {
      String a = args.get(i);
      if (a.startsWith("-c") || a.startsWith("--config-env") || a.startsWith("--exec-path")
          || a.startsWith("-C") || a.startsWith("--git-dir") || a.startsWith("--work-tree")
          || a.equals("-p") || a.equals("--paginate") || a.startsWith("--super-prefix")
          || a.startsWith("--namespace") || a.startsWith("--list-cmds")) {
        return Optional.of("git " + a + " changes which configuration, programs or repository git uses");
      }
    }
    if (i == args.size()) {
      return Optional.empty();
    }
    String sub = args.get(i);
    if (GIT_SUBCOMMANDS_THAT_RUN_PROGRAMS.contains(sub)) {
      return Optional.of("git " + sub + " runs external programs or changes configuration");
    }
    List<String> rest = args.subList(i + 1, args.size());
    Optional<String> opt =
        firstPrefixed(rest, List.of("--exec", "--upload-pack", "--receive-pack", "--ext-diff",
            "--textconv", "--extcmd", "--tool", "--template", "--config", "--open-files-in-pager"));
    if (opt.isPresent()) {
      return opt.map(a -> "git " + sub + " " + a + " runs a program or loads configuration");
    }
    boolean shortExec = switch (sub) {
      case "rebase" -> rest.stream().anyMatch(a -> a.equals("-x") || (a.startsWith("-") && !a.startsWith("--") && a.contains("x")));
      case "clone", "fetch", "pull", "ls-remote", "archive", "push" ->
          rest.stream().anyMatch(a -> a.equals("-u") || a.startsWith("-c") || a.startsWith("--receive"));
      case "grep" -> rest.stream().anyMatch(a -> a.startsWith("-O"));
      default -> false;
    };
    return shortExec ? Optional.of("git " + sub + " with these options runs a program") : Optional.empty();
  }

  private static Optional<String> firstPrefixed(List<String> args, List<String> options) {
    for (String a : args) {
      for (String o : options) {
        if (a.equals(o) || a.startsWith(o + "=") || (!o.startsWith("--") && a.startsWith(o))) {
          return Optional.of(a);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Environment the gate adds for some programs to shut doors that configuration files open. For
   * git: repository configuration may name an fsmonitor, hooks, a pager or an editor, each of which
   * git would run; {@code GIT_CONFIG_COUNT} entries outrank every configuration file.
   */
  static Map<String, String> hardening(String baseName) {
    if (!baseName.equals("git")) {
      return Map.of();
    }
    Map<String, String> env = new LinkedHashMap<>();
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("GIT_CONFIG_GLOBAL", "/dev/null");
    env.put("GIT_TERMINAL_PROMPT", "0");
    env.put("GIT_PAGER", "cat");
    String[][] config = {
      {"core.fsmonitor", "false"},
      {"core.hooksPath", "/dev/null"},
      {"core.pager", "cat"},
      {"core.editor", "false"},
      {"sequence.editor", "false"},
      {"core.sshCommand", "false"},
      {"core.askPass", "false"},
      {"credential.helper", ""},
      {"protocol.ext.allow", "never"},
      {"uploadpack.packObjectsHook", ""},
    };
    env.put("GIT_CONFIG_COUNT", Integer.toString(config.length));
    for (int i = 0; i < config.length; i++) {
      env.put("GIT_CONFIG_KEY_" + i, config[i][0]);
      env.put("GIT_CONFIG_VALUE_" + i, config[i][1]);
    }
    return env;
  }
}
