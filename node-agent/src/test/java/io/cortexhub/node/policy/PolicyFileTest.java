package io.cortexhub.node.policy;

import static io.cortexhub.node.testing.TestPolicies.realPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortexhub.node.sandbox.IsolationLevel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyFileTest {
  @TempDir Path tmp;
  Path ws;
  Path ro;

  @BeforeEach
  void dirs() throws Exception {
    ws = Files.createDirectory(tmp.resolve("ws")).toRealPath();
    ro = Files.createDirectory(tmp.resolve("ro")).toRealPath();
  }

  String full() {
    return """
        version: 1
        consent: auto-approve-safe
        minimumIsolation: bubblewrap
        runAs: nobody:nogroup
        network: true
        searchPath: /usr/bin:/bin
        envAllow: [LANG, LC_*]
        readOnlyPaths: [%s]
        workspaces:
          - path: %s
            writable: true
          - path: %s
        limits:
          memory: 512M
          cpu: 1.5
          processes: 64
          wallTime: 30m
        commands:
          - path: /bin/ls
          - path: /usr/bin/git
            subcommands: [status, log]
            forbiddenFlags: [--output]
            argPattern: '[^\\n]*'
            maxArgs: 8
          - path: /bin/sh
            interpreter: true
        """.formatted(ro, ws, ro);
  }

  Path write(String name, String text) throws Exception {
    Path f = tmp.resolve(name);
    Files.writeString(f, text);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
    return f;
  }

  @Test
  void everyKey_isRead() throws Exception {
    NodePolicy p = PolicyFile.load(write("policy.yaml", full()));
    assertThat(p.consentMode()).isEqualTo(ConsentMode.AUTO_APPROVE_SAFE);
    assertThat(p.minimumIsolation()).isEqualTo(IsolationLevel.BUBBLEWRAP);
    assertThat(p.runAsUser()).contains("nobody:nogroup");
    assertThat(p.networkAllowed()).isTrue();
    assertThat(p.searchPath()).isEqualTo("/usr/bin:/bin");
    assertThat(p.envAllowList()).containsExactly("LANG", "LC_*");
    assertThat(p.workspaceRoots()).containsExactly(new WorkspaceRoot(ws, true), new WorkspaceRoot(ro, false));
    assertThat(p.defaultLimits()).isEqualTo(new ResourceLimits(512L << 20, 1500, 64, Duration.ofMinutes(30)));
    assertThat(p.commands()).hasSize(3);
    assertThat(p.commands().get(0)).isEqualTo(CommandRule.any(realPath("ls")));
    assertThat(p.commands().get(1)).isEqualTo(new CommandRule(realPath("git"), List.of("status", "log"),
        List.of("--output"), Optional.of("[^\\n]*"), 8, false));
    // Rules name the real file: /bin/sh is dash here.
    assertThat(p.commands().get(2).path()).isEqualTo(realPath("sh"));
    assertThat(p.commands().get(2).interpreter()).isTrue();
  }

  @Test
  void render_isCanonical_andLoadsBackToTheSamePolicy() throws Exception {
    NodePolicy p = PolicyFile.load(write("policy.yaml", full()));
    NodePolicy again = PolicyFile.parse(p.render(), "rendered");
    assertThat(again).isEqualTo(p);
    assertThat(again.render()).isEqualTo(p.render());
    assertThat(again.digest()).isEqualTo(p.digest()).hasSize(64);
    // Same policy written differently (flow style, other order): same text, same digest.
    String reordered = "commands: []\nnetwork: false\nconsent: strict\n";
    assertThat(PolicyFile.parse(reordered, "x").digest()).isEqualTo(PolicyFile.defaults().digest());
    assertThat(PolicyFile.defaults().withNetworkAllowed(true).digest()).isNotEqualTo(PolicyFile.defaults().digest());
  }

  @Test
  void defaults_allowNothing_networkOff_strict_nobody() {
    NodePolicy d = PolicyFile.defaults();
    assertThat(d.commands()).isEmpty();
    assertThat(d.workspaceRoots()).isEmpty();
    assertThat(d.networkAllowed()).isFalse();
    assertThat(d.consentMode()).isEqualTo(ConsentMode.STRICT);
    assertThat(d.runAsUser()).contains("nobody");
    assertThat(d.minimumIsolation()).isEqualTo(IsolationLevel.NONE);
    assertThat(PolicyFile.parse("", "empty")).isEqualTo(d);
    assertThat(PolicyFile.parse("runAs: agent\n", "x").runAsUser()).isEmpty();
  }

  void refused(String text, String... fragments) {
    assertThatThrownBy(() -> PolicyFile.parse(text, "p.yaml"))
        .isInstanceOf(PolicyException.class)
        .satisfies(e -> assertThat(e.getMessage()).contains(fragments));
  }

  @Test
  void badInput_isRefused_namingFileLineAndKey() {
    refused("network: false\nnetwrok: true\n", "p.yaml line 2", "'netwrok'", "unknown key");
    refused("network: yes\n", "p.yaml line 1", "'network'", "true or false");
    refused("network: false\nnetwork: true\n", "line 2", "duplicate key");
    refused("consent: lax\n", "'consent'", "strict, auto-approve-safe or auto");
    refused("minimumIsolation: docker\n", "'minimumIsolation'");
    refused("version: 2\n", "'version'");
    refused("runAs: root\n", "never run as root");
    refused("runAs: 'a b'\n", "'runAs'");
    refused("searchPath: bin:/usr/bin\n", "absolute directory");
    refused("envAllow: [LD_PRELOAD]\n", "'envAllow'", "LD_*");
    refused("envAllow: [L*]\n", "would admit");
    refused("envAllow: [GIT_SSH_COMMAND]\n", "GIT_*");
    refused("envAllow: ['A-B']\n", "not a variable name");
    refused("limits:\n  memory: lots\n", "line 2", "'memory'");
    refused("limits:\n  memory: 1K\n", "at least 4M");
    refused("limits:\n  cpu: -1\n", "'cpu'");
    refused("limits:\n  wallTime: 1d\n", "'wallTime'");
    refused("limits:\n  processes: -3\n", "'processes'");
    refused("commands:\n  - path: /no/such/tool\n", "line 2", "does not exist");
    refused("commands:\n  - path: ls\n", "absolute path");
    refused("commands:\n  - path: /etc\n", "not an executable file");
    refused("commands:\n  - path: /bin/ls\n  - path: /usr/bin/ls\n", "two rules");
    refused("commands:\n  - path: /bin/ls\n    argPattern: '('\n", "not a valid regular expression");
    refused("commands:\n  - path: /bin/ls\n    interpreter: maybe\n", "'interpreter'");
    refused("workspaces:\n  - path: /\n    writable: true\n", "whole file system");
    refused("workspaces:\n  - path: /etc\n    writable: true\n", "must not be, contain or lie in /etc");
    refused("workspaces:\n  - path: /usr/local\n    writable: true\n", "/usr");
    refused("workspaces:\n  - path: /proc\n", "kernel file system");
    refused("workspaces: [{writable: true}]\n", "needs a path");
    refused("workspaces: /srv\n", "expected a list");
    refused("a: [unclosed\n", "not valid YAML");
    refused("- just\n- a list\n", "expected a mapping");
    refused("x: &a [1]\ny: *a\n", "p.yaml");
  }

  @Test
  void aCommandInsideAWritableRoot_isRefused_aTaskCouldReplaceIt() throws Exception {
    Path tool = Files.copy(realPath("ls"), ws.resolve("tool"));
    Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
    refused("workspaces:\n  - path: " + ws + "\n    writable: true\ncommands:\n  - path: " + tool + "\n",
        "lies in the writable workspace");
  }

  @Test
  void aGroupWritableCommand_isRefused() throws Exception {
    Path tool = Files.copy(realPath("ls"), ro.resolve("tool"));
    Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxrwxr-x"));
    refused("commands:\n  - path: " + tool + "\n", "writable by its group or by everyone");
    Path open = Files.createDirectory(tmp.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path swappable = Files.copy(realPath("ls"), open.resolve("tool"));
    Files.setPosixFilePermissions(swappable, PosixFilePermissions.fromString("rwxr-xr-x"));
    refused("commands:\n  - path: " + swappable + "\n", "the directory of command", "writable by its group or by everyone");
  }

  @Test
  void aPolicyFileOthersCanWrite_orInsideAWritableRoot_isRefused() throws Exception {
    Path f = write("open.yaml", "network: false\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw-rw-"));
    assertThatThrownBy(() -> PolicyFile.load(f)).isInstanceOf(PolicyException.class)
        .hasMessageContaining("writable by its group or by everyone");

    Path inside = ws.resolve("policy.yaml");
    Files.writeString(inside, "workspaces:\n  - path: " + ws + "\n    writable: true\n");
    Files.setPosixFilePermissions(inside, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> PolicyFile.load(inside)).isInstanceOf(PolicyException.class)
        .hasMessageContaining("a task could rewrite the policy");

    assertThatThrownBy(() -> PolicyFile.load(tmp.resolve("missing.yaml"))).isInstanceOf(PolicyException.class)
        .hasMessageContaining("cannot read the policy file");
  }

  @Test
  void yamlTags_constructNothing() {
    refused("consent: !!java.lang.ProcessBuilder [id]\n", "'consent'");
  }

  @Test
  void timeouts_policyWallTimeCapsTheTasksOwn() {
    ResourceLimits l = new ResourceLimits(0, 0, 0, Duration.ofSeconds(10));
    assertThat(l.effectiveTimeoutMs(0)).isEqualTo(10_000);
    assertThat(l.effectiveTimeoutMs(3_000)).isEqualTo(3_000);
    assertThat(l.effectiveTimeoutMs(60_000)).isEqualTo(10_000);
    assertThat(ResourceLimits.unlimited().effectiveTimeoutMs(5)).isEqualTo(5);
  }
}
