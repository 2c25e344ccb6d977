package io.cortexhub.node.policy;

import static io.cortexhub.node.testing.TestPolicies.realPath;
import static org.assertj.core.api.Assertions.assertThat;

import io.cortexhub.proto.node.v1.ShellPayload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The gate against every way public tools have been talked around: shell syntax in arguments,
 * shells and launchers by name, path, symlink, copy and hard link, quoting tricks, environment.
 */
class CommandGateTest {
  @TempDir static Path shared;
  @TempDir Path tmp;

  Path ws;
  Path taskDir;
  CommandGate gate;

  /** echo, ls, cat, git and find allowed as ordinary tools; no shell, no interpreter. */
  static NodePolicy ordinary(Path ws) {
    return PolicyFile.defaults()
        .withWorkspaceRoots(List.of(new WorkspaceRoot(ws, true)))
        .withEnvAllowList(List.of("LANG", "LC_*", "PATH"))
        .withCommands(List.of(
            CommandRule.any(realPath("echo")),
            CommandRule.any(realPath("ls")),
            CommandRule.any(realPath("cat")),
            CommandRule.any(realPath("git")),
            CommandRule.any(realPath("find"))));
  }

  @BeforeEach
  void setUp() throws Exception {
    ws = Files.createDirectory(tmp.resolve("ws")).toRealPath();
    taskDir = Files.createDirectory(tmp.resolve("task")).toRealPath();
    gate = new CommandGate(ordinary(ws));
  }

  CommandVerdict check(List<String> argv) {
    return gate.check(ShellPayload.newBuilder().addAllArgv(argv).setWorkingDir(ws.toString()).build(), taskDir);
  }

  static String reason(CommandVerdict v) {
    assertThat(v).isInstanceOf(CommandVerdict.Refused.class);
    return ((CommandVerdict.Refused) v).reason();
  }

  static Stream<Arguments> shellSyntaxInArguments() {
    return Stream.of("$(touch pwned)", "`touch pwned`", "; touch pwned", "a && touch pwned", "a\ntouch pwned",
            "<(touch pwned)", "| touch pwned", "> pwned", "$HOME", "*", "'quoted' \"twice\"", "\\; escaped")
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "[{index}] echo {0}")
  @MethodSource("shellSyntaxInArguments")
  void shellSyntaxInAnArgument_isALiteralArgument(String arg) {
    CommandVerdict v = check(List.of("echo", arg));
    assertThat(v).isInstanceOf(CommandVerdict.Allowed.class);
    CommandVerdict.Allowed a = (CommandVerdict.Allowed) v;
    assertThat(a.argv()).containsExactly(realPath("echo").toString(), arg);
  }

  static Stream<Arguments> refusedArgv() {
    return Stream.of(
        Arguments.of(List.of("sh", "-c", "id"), "no command rule"),
        Arguments.of(List.of("bash", "-c", "id"), "no command rule"),
        Arguments.of(List.of("/bin/sh", "-c", "id"), "no command rule"),
        Arguments.of(List.of("/usr/bin/../bin/sh", "-c", "id"), "no command rule"),
        Arguments.of(List.of("/bin//sh"), "no command rule"),
        Arguments.of(List.of("env", "sh", "-c", "id"), "no command rule"),
        Arguments.of(List.of("xargs", "sh"), "no command rule"),
        Arguments.of(List.of("python3", "-c", "import os; os.system('id')"), "no command rule"),
        Arguments.of(List.of("perl", "-e", "exec 'sh'"), "no command rule"),
        Arguments.of(List.of("/usr/bin/id"), "no command rule"),
        Arguments.of(List.of("'sh'", "-c", "id"), "no such executable"),
        Arguments.of(List.of("\"sh\""), "no such executable"),
        Arguments.of(List.of("s\\h"), "no such executable"),
        Arguments.of(List.of(" sh"), "no such executable"),
        Arguments.of(List.of("sh "), "no such executable"),
        Arguments.of(List.of("SH"), "no such executable"),
        Arguments.of(List.of("$(which sh)"), "no such executable"),
        Arguments.of(List.of("`sh`"), "no such executable"),
        Arguments.of(List.of("ls;sh"), "no such executable"),
        Arguments.of(List.of("ls && sh"), "no such executable"),
        Arguments.of(List.of("ls\nsh"), "no such executable"),
        Arguments.of(List.of("sh\u0000"), "NUL"),
        Arguments.of(List.of("echo", "a\u0000b"), "NUL"),
        Arguments.of(List.of(), "argv is empty"),
        Arguments.of(List.of(""), "argv is empty"),
        Arguments.of(List.of("find", ".", "-exec", "sh", "-c", "id", ";"), "find -exec runs commands"),
        Arguments.of(List.of("find", ".", "-execdir", "sh", ";"), "find -execdir"),
        Arguments.of(List.of("find", ".", "-delete"), "find -delete"),
        Arguments.of(List.of("git", "-c", "core.pager=sh -c id", "log"), "git -c"),
        Arguments.of(List.of("git", "-ccore.fsmonitor=id", "status"), "git -ccore"),
        Arguments.of(List.of("git", "--exec-path=/tmp", "status"), "git --exec-path"),
        Arguments.of(List.of("git", "-C", "/", "status"), "git -C"),
        Arguments.of(List.of("git", "--git-dir=/etc", "log"), "git --git-dir"),
        Arguments.of(List.of("git", "config", "core.fsmonitor", "id"), "git config"),
        Arguments.of(List.of("git", "log", "--ext-diff"), "--ext-diff"),
        Arguments.of(List.of("git", "rebase", "--exec", "sh"), "--exec"),
        Arguments.of(List.of("git", "rebase", "-x", "sh"), "git rebase"),
        Arguments.of(List.of("git", "fetch", "--upload-pack=sh -c id", "origin"), "--upload-pack"),
        Arguments.of(List.of("git", "clone", "-u", "sh", "x"), "git clone"),
        Arguments.of(List.of("git", "difftool", "-x", "sh"), "git difftool"),
        Arguments.of(List.of("git", "grep", "-Osh", "x"), "git grep"),
        Arguments.of(List.of("git", "submodule", "foreach", "id"), "git submodule"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("refusedArgv")
  void bypassAttempt_isRefusedWithAReason(List<String> argv, String because) {
    assertThat(reason(check(argv))).contains(because);
  }

  @Test
  void anAllowedCommand_runsByItsRealPath_withTheBaseEnvironment() throws Exception {
    CommandVerdict.Allowed a = (CommandVerdict.Allowed) check(List.of("ls", "-l"));
    assertThat(a.argv()).containsExactly(realPath("ls").toString(), "-l");
    assertThat(a.workingDir()).isEqualTo(ws);
    assertThat(a.env()).containsEntry("PATH", NodePolicy.DEFAULT_SEARCH_PATH)
        .containsEntry("HOME", taskDir.toString())
        .containsEntry("TMPDIR", taskDir.resolve(".tmp").toString());
  }

  @Test
  void aSymlinkNamedLs_pointingAtSh_isASh() throws Exception {
    Files.createSymbolicLink(ws.resolve("ls"), Path.of("/bin/sh"));
    assertThat(reason(check(List.of("./ls", "-c", "id")))).contains("resolves to " + realPath("sh")).contains("no command rule");
    // Even where the policy lists dash, a symlink does not turn it into ls: it is a shell.
    NodePolicy withDash = ordinary(ws).withCommands(List.of(CommandRule.any(realPath("sh"))));
    CommandVerdict v = new CommandGate(withDash).check(
        ShellPayload.newBuilder().addArgv("./ls").setWorkingDir(ws.toString()).build(), taskDir);
    assertThat(reason(v)).contains("is a shell").contains("interpreter: true");
  }

  @Test
  void aCopyOfSh_inTheWorkspace_matchesNoRule() throws Exception {
    Files.copy(realPath("sh"), ws.resolve("sh"));
    ws.resolve("sh").toFile().setExecutable(true);
    assertThat(reason(check(List.of("./sh", "-c", "id")))).contains(ws.resolve("sh").toString()).contains("no command rule");
    assertThat(reason(check(List.of(ws.resolve("sh").toString())))).contains("no command rule");
  }

  @Test
  void aHardLinkToSh_underAHarmlessName_isRecognisedByFileIdentity() throws Exception {
    Path lister = Files.createLink(shared.resolve("lister-" + System.nanoTime()), realPath("sh"));
    NodePolicy p = ordinary(ws).withCommands(List.of(CommandRule.any(lister)));
    CommandVerdict v = new CommandGate(p).check(
        ShellPayload.newBuilder().addArgv(lister.toString()).addArgv("-c").addArgv("id").build(), taskDir);
    assertThat(reason(v)).contains("the same file as sh").contains("a shell");
  }

  @Test
  void interpretersAndLaunchers_evenWhenListed_needInterpreterTrue() {
    for (String name : List.of("sh", "bash", "env", "xargs", "perl", "python3", "awk", "timeout", "nice", "nohup")) {
      NodePolicy p = ordinary(ws).withCommands(List.of(CommandRule.any(realPath(name))));
      CommandVerdict v = new CommandGate(p).check(
          ShellPayload.newBuilder().addArgv(name).addArgv("-c").addArgv("id").build(), taskDir);
      assertThat(reason(v)).as(name).contains("interpreter: true");
      CommandGate allowed = new CommandGate(ordinary(ws).withCommands(List.of(CommandRule.any(realPath(name)).asInterpreter())));
      assertThat(allowed.check(ShellPayload.newBuilder().addArgv(name).build(), taskDir))
          .as(name + " with interpreter: true").isInstanceOf(CommandVerdict.Allowed.class);
    }
  }

  @Test
  void theTasksOwnPath_neverResolvesArgv0() throws Exception {
    Files.copy(realPath("sh"), ws.resolve("ls"));
    ws.resolve("ls").toFile().setExecutable(true);
    ShellPayload p = ShellPayload.newBuilder().addArgv("ls").putEnv("PATH", ws.toString()).setWorkingDir(ws.toString()).build();
    CommandVerdict.Allowed a = (CommandVerdict.Allowed) gate.check(p, taskDir);
    assertThat(a.argv().get(0)).isEqualTo(realPath("ls").toString());
  }

  @Test
  void environment_onlyFromTheAllowList_andNeverTheDangerousOnes() {
    assertThat(reason(gate.check(ShellPayload.newBuilder().addArgv("ls").putEnv("LD_PRELOAD", "/tmp/x.so").build(), taskDir)))
        .contains("LD_PRELOAD").contains("refused");
    assertThat(reason(gate.check(ShellPayload.newBuilder().addArgv("ls").putEnv("BASH_ENV", "/tmp/x").build(), taskDir)))
        .contains("BASH_ENV");
    assertThat(reason(gate.check(ShellPayload.newBuilder().addArgv("ls").putEnv("SECRET", "x").build(), taskDir)))
        .contains("SECRET is not on the policy's allow-list");
    assertThat(reason(gate.check(ShellPayload.newBuilder().addArgv("ls").putEnv("A=B", "x").build(), taskDir)))
        .contains("not a plain name");
    CommandVerdict.Allowed ok = (CommandVerdict.Allowed) gate.check(
        ShellPayload.newBuilder().addArgv("ls").putEnv("LC_ALL", "C").putEnv("LANG", "C.UTF-8").build(), taskDir);
    assertThat(ok.env()).containsEntry("LC_ALL", "C").containsEntry("LANG", "C.UTF-8");
  }

  @Test
  void git_getsConfigurationHardening() {
    CommandVerdict.Allowed a = (CommandVerdict.Allowed) check(List.of("git", "status"));
    assertThat(a.env()).containsEntry("GIT_CONFIG_NOSYSTEM", "1").containsKey("GIT_CONFIG_COUNT");
    assertThat(a.env().entrySet()).anySatisfy(e -> assertThat(e.getValue()).isEqualTo("core.fsmonitor"));
  }

  @Test
  void workingDirectory_mustBeTheTaskDirOrInsideARoot_byRealPath() throws Exception {
    Path evil = Files.createDirectory(tmp.resolve("ws-evil"));
    assertThat(reason(gate.check(ShellPayload.newBuilder().addArgv("ls").setWorkingDir(evil.toString()).build(), taskDir)))
        .contains("outside the task's directory and every workspace root");
    Files.createSymbolicLink(ws.resolve("out"), Path.of("/etc"));
    assertThat(reason(gate.check(ShellPayload.newBuilder().addArgv("ls").setWorkingDir(ws.resolve("out").toString()).build(), taskDir)))
        .contains("/etc is outside");
    assertThat(reason(gate.check(ShellPayload.newBuilder().addArgv("ls").setWorkingDir("ws").build(), taskDir)))
        .contains("not an absolute path");
    assertThat(reason(gate.check(ShellPayload.newBuilder().addArgv("ls").setWorkingDir(ws + "/../ws-evil").build(), taskDir)))
        .contains("outside");
    CommandVerdict.Allowed inTask = (CommandVerdict.Allowed) gate.check(ShellPayload.newBuilder().addArgv("ls").build(), taskDir);
    assertThat(inTask.workingDir()).isEqualTo(taskDir);
  }

  @Test
  void argumentRules_subcommandsFlagsPatternAndCount() {
    CommandRule git = new CommandRule(realPath("git"), List.of("status", "log"), List.of("--output", "-p"),
        Optional.of("[A-Za-z0-9=._/-]*"), 3, false);
    CommandGate g = new CommandGate(ordinary(ws).withCommands(List.of(git)));
    ShellPayload.Builder b = ShellPayload.newBuilder().setWorkingDir(ws.toString());
    assertThat(g.check(b.clone().addAllArgv(List.of("git", "log", "-n", "3")).build(), taskDir))
        .isInstanceOf(CommandVerdict.Allowed.class);
    assertThat(reason(g.check(b.clone().addAllArgv(List.of("git", "push")).build(), taskDir))).contains("must be one of [status, log]");
    assertThat(reason(g.check(b.clone().addAllArgv(List.of("git")).build(), taskDir))).contains("got none");
    assertThat(reason(g.check(b.clone().addAllArgv(List.of("git", "log", "--output=/x")).build(), taskDir))).contains("(--output)");
    assertThat(reason(g.check(b.clone().addAllArgv(List.of("git", "log", "-sp")).build(), taskDir))).contains("(-p)");
    assertThat(reason(g.check(b.clone().addAllArgv(List.of("git", "log", "a b")).build(), taskDir))).contains("does not match");
    assertThat(reason(g.check(b.clone().addAllArgv(List.of("git", "log", "a", "b", "c")).build(), taskDir))).contains("at most 3");
  }

  @Test
  void flagMatching_longWithValue_shortInClusters() {
    assertThat(CommandGate.flagMatches("--output", "--output=x")).isTrue();
    assertThat(CommandGate.flagMatches("--output", "--outputs")).isFalse();
    assertThat(CommandGate.flagMatches("-f", "-rf")).isTrue();
    assertThat(CommandGate.flagMatches("-f", "--force")).isFalse();
    assertThat(CommandGate.flagMatches("-f", "file")).isFalse();
  }

  @Test
  void refusalReasons_neverEchoControlCharactersIntoLogs() {
    assertThat(CommandGate.printable(List.of("a\nb", "c\u001b[2J"))).isEqualTo("[\"a\\nb\", \"c\\x1b[2J\"]");
  }
}
