package io.cortexhub.node.consent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The classifier on a table of commands: read-only ones pass, everything else (and anything unknown) asks. */
class SafeCommandClassifierTest {
  private static final SafeCommandClassifier CLASSIFIER = new SafeCommandClassifier(List.of(Path.of("/work/ws")));

  static Stream<Arguments> safe() {
    return Stream.of(
        "ls", "ls -la", "ls --color=auto -R src", "/bin/ls -l", "/usr/bin/ls",
        "cat README.md", "cat -n src/Main.java", "cat /work/ws/notes.txt", "cat ./a/./b",
        "head -n 20 log.txt", "head -20 log.txt", "head -c100 f", "head --lines=5 f",
        "tail -f app.log", "tail -n 50 f", "tail --follow=name f",
        "wc -l src/Main.java", "wc --lines a b",
        "grep -rn TODO src", "grep -e -rf file", "grep --include=*.java -r foo .", "grep -i --color=never x f",
        "grep -A 3 -B2 pattern f", "egrep 'a|b' f", "fgrep -- -x f",
        "git status", "git status -sb", "git status --porcelain=v1 -uno", "git log --oneline -n 5",
        "git log -5 --graph --decorate", "git log HEAD~3..HEAD --stat", "git log --format=%h/%s --since=2.weeks",
        "git diff", "git diff --cached -- src/Main.java", "git diff -M50% HEAD", "git diff --no-ext-diff --no-textconv",
        "git show HEAD:src/Main.java", "git --no-pager log -p", "git -C sub status",
        "find . -name *.java -type f", "find src -maxdepth 2 -newer build.gradle -print",
        "find -L . ( -name a -o -name b ) -print0",
        "sort -n -k 2 data.txt", "sort -t, -k1,1 f", "uniq -c sorted.txt", "diff -u a b", "diff --unified=5 a b",
        "cmp a b", "sha256sum -c sums.txt", "stat -c %s f", "du -sh .", "df -h", "pwd", "echo hello /etc/passwd",
        "true", "basename /etc/passwd .d", "dirname a/b", "whoami", "id -u", "uname -a", "realpath src",
        "readlink -f link")
        .map(s -> Arguments.of(s));
  }

  static Stream<Arguments> unsafe() {
    return Stream.of(
        // state changers and unknown programs
        Arguments.of("rm -rf build", "not a known read-only command"),
        Arguments.of("mv a b", "not a known read-only command"),
        Arguments.of("cp a b", "not a known read-only command"),
        Arguments.of("chmod 777 x", "not a known read-only command"),
        Arguments.of("tee out.txt", "not a known read-only command"),
        Arguments.of("sed -i s/a/b/ f", "not a known read-only command"),
        Arguments.of("sed -n p f", "not a known read-only command"),
        Arguments.of("awk {print} f", "not a known read-only command"),
        Arguments.of("touch x", "not a known read-only command"),
        Arguments.of("my-script", "not a known read-only command"),
        Arguments.of("date -s 2020-01-01", "not a known read-only command"),
        Arguments.of("sh -c ls", "not a known read-only command"),
        Arguments.of("bash -c 'cat x'", "not a known read-only command"),
        Arguments.of("env ls", "not a known read-only command"),
        Arguments.of("xargs rm", "not a known read-only command"),
        Arguments.of("python3 -c print(1)", "not a known read-only command"),
        Arguments.of("sudo ls", "not a known read-only command"),
        Arguments.of("timeout 5 ls", "not a known read-only command"),
        // look-alike executables
        Arguments.of("./ls", "not a system command"),
        Arguments.of("/tmp/evil/ls", "not a system command"),
        Arguments.of("/usr/bin/../../tmp/ls", "not a system command"),
        Arguments.of("bin/cat f", "not a system command"),
        // git
        Arguments.of("git commit -m x", "not a read-only git command"),
        Arguments.of("git push", "not a read-only git command"),
        Arguments.of("git checkout main", "not a read-only git command"),
        Arguments.of("git stash", "not a read-only git command"),
        Arguments.of("git -c alias.x=!sh status", "-c and --config-env"),
        Arguments.of("git -c core.pager=evil log", "-c and --config-env"),
        Arguments.of("git --config-env=core.fsmonitor=X status", "not known to be harmless"),
        Arguments.of("git --git-dir=/etc status", "not known to be harmless"),
        Arguments.of("git --exec-path=/tmp status", "not known to be harmless"),
        Arguments.of("git -p log", "not known to be harmless"),
        Arguments.of("git", "without a subcommand"),
        Arguments.of("git -C /etc status", "leaves the workspace"),
        Arguments.of("git diff --output=patch.txt", "not known to be read-only"),
        Arguments.of("git log --outp=x", "not known to be read-only"),
        Arguments.of("git diff --ext-diff", "not known to be read-only"),
        Arguments.of("git diff --textconv", "not known to be read-only"),
        Arguments.of("git diff --no-index /etc/shadow x", "not known to be read-only"),
        Arguments.of("git log -O/tmp/order", "not known to be read-only"),
        Arguments.of("git x", "not a read-only git command"),
        // find
        Arguments.of("find . -delete", "not a read-only test"),
        Arguments.of("find . -name x -exec rm {} ;", "not a read-only test"),
        Arguments.of("find . -execdir sh -c x ;", "not a read-only test"),
        Arguments.of("find . -ok rm {} ;", "not a read-only test"),
        Arguments.of("find . -fprint out.txt", "not a read-only test"),
        Arguments.of("find . -fls out.txt", "not a read-only test"),
        Arguments.of("find / -name shadow", "outside the workspace"),
        Arguments.of("find . -newer /etc/passwd", "outside the workspace"),
        Arguments.of("find . -name", "needs an argument"),
        // options that write or run things, and abbreviations of them
        Arguments.of("sort -o out.txt in.txt", "not known to be read-only"),
        Arguments.of("sort --output=out.txt in.txt", "not known to be read-only"),
        Arguments.of("sort --out=x in.txt", "not known to be read-only"),
        Arguments.of("sort --compress-program=sh f", "not known to be read-only"),
        Arguments.of("sort -T /tmp f", "not known to be read-only"),
        Arguments.of("uniq in.txt out.txt", "at most 1 operand"),
        Arguments.of("grep --inc=*.c x .", "not known to be read-only"),
        Arguments.of("grep --include=/etc/* -r x .", "leaves the workspace"),
        Arguments.of("grep -f /etc/shadow x", "leaves the workspace"),
        Arguments.of("grep --exclude-from ../secrets x .", "leaves the workspace"),
        Arguments.of("grep -r root /", "outside the workspace"),
        Arguments.of("grep -r x ../other-task", "outside the workspace"),
        Arguments.of("grep -X x f", "-X is not known"),
        Arguments.of("grep -e", "needs a value"),
        Arguments.of("head --lines", "needs a value"),
        Arguments.of("cat --show-all=x f", "not known to be read-only"),
        Arguments.of("pwd extra", "at most 0 operand"),
        // paths outside the workspace
        Arguments.of("cat /etc/shadow", "outside the workspace"),
        Arguments.of("cat /work/ws-evil/x", "outside the workspace"),
        Arguments.of("cat ../../etc/passwd", "outside the workspace"),
        Arguments.of("cat src/../../x", "outside the workspace"),
        Arguments.of("cat ~/.ssh/id_rsa", "outside the workspace"),
        Arguments.of("ls /", "outside the workspace"),
        Arguments.of("wc --files0-from=/etc/list", "leaves the workspace"),
        Arguments.of("", "empty command"));
  }

  private static List<String> argv(String line) {
    return line.isEmpty() ? List.of() : Arrays.asList(line.split(" "));
  }

  @ParameterizedTest(name = "safe: {0}")
  @MethodSource
  void safe(String line) {
    SafeCommandClassifier.Classification c = CLASSIFIER.classify(argv(line));
    assertThat(c.safe()).as(line + ": " + c.reason()).isTrue();
  }

  @ParameterizedTest(name = "unsafe: {0}")
  @MethodSource
  void unsafe(String line, String reason) {
    SafeCommandClassifier.Classification c = CLASSIFIER.classify(argv(line));
    assertThat(c.safe()).as(line).isFalse();
    assertThat(c.reason()).contains(reason);
    assertThat(CLASSIFIER.isSafe(argv(line))).isFalse();
  }

  @org.junit.jupiter.api.Test
  void argumentsWithShellSyntax_areJustText_butTheCommandDecides() {
    // No shell: "$(rm -rf /)" is a file name to cat, which does not exist; still cat only reads.
    assertThat(CLASSIFIER.isSafe(List.of("cat", "$(rm -rf ~)"))).isTrue();
    assertThat(CLASSIFIER.isSafe(List.of("cat", "a;rm", "-rf"))).as("-rf is not a cat option").isFalse();
    assertThat(CLASSIFIER.isSafe(List.of("cat", "x\nrm -rf /"))).as("one odd relative file name").isTrue();
    assertThat(CLASSIFIER.isSafe(List.of("cat", "nul\0byte"))).isFalse();
  }

  @org.junit.jupiter.api.Test
  void withoutRoots_everyAbsolutePathIsOutside() {
    SafeCommandClassifier none = new SafeCommandClassifier();
    assertThat(none.isSafe(List.of("cat", "/work/ws/a"))).isFalse();
    assertThat(none.isSafe(List.of("cat", "a"))).isTrue();
  }
}
