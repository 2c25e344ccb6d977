package io.cortexhub.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortexhub.node.cli.RunEngineCommandTest.Result;
import io.cortexhub.node.policy.PolicyFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** {@code cortex-node policy check}: the owner's dry run of a policy on this machine. Nothing is run. */
@EnabledOnOs(OS.LINUX)
class PolicyCommandTest {
  @TempDir Path dir;
  Path ws;
  Path policy;

  @BeforeEach
  void writePolicy() throws Exception {
    ws = Files.createDirectories(dir.resolve("ws"));
    policy = Files.writeString(dir.resolve("policy.yaml"), String.join("\n",
        "version: 1",
        "consent: auto-approve-safe",
        "workspaces:",
        "  - path: " + ws,
        "    writable: true",
        "commands:",
        "  - path: /usr/bin/ls",
        "  - path: /usr/bin/touch",
        ""));
  }

  private static Result check(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "policy";
    all[1] = "check";
    System.arraycopy(args, 0, all, 2, args.length);
    return RunEngineCommandTest.cli(all);
  }

  @Test
  void aValidPolicy_isSummarised_withWhatThisMachineGivesIt() {
    Result r = check("--policy", policy.toString());

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.OK);
    assertThat(r.out()).contains("sha256 " + PolicyFile.load(policy).digest())
        .contains("consent auto-approve-safe").contains(ws + " (read-write)").contains("2 command rule(s)")
        .contains("OK: shell tasks run at isolation");
  }

  @Test
  void anAllowedReadOnlyCommand_runsWithoutAsking_andOneThatChangesFiles_asksTheOwner() {
    Result ls = check("--policy", policy.toString(), "--", "ls", "-l");
    Result touch = check("--policy", policy.toString(), "--", "touch", "x");

    assertThat(ls.code()).as(ls.out() + ls.err()).isEqualTo(ExitCodes.OK);
    assertThat(ls.out()).contains("ALLOWED: [/usr/bin/ls, -l]").contains("runs without asking");
    assertThat(touch.code()).isEqualTo(ExitCodes.OK);
    assertThat(touch.out()).contains("ALLOWED: [/usr/bin/touch, x]").contains("the owner is asked first");
  }

  @Test
  void aShellSmuggledIn_orACommandThePolicyDoesNotName_isRefusedWithTheReason() {
    Result shell = check("--policy", policy.toString(), "--", "sh", "-c", "ls; rm -rf /");
    Result unknown = check("--policy", policy.toString(), "--", "/usr/bin/id");

    assertThat(shell.code()).isEqualTo(ExitCodes.FAILURE);
    assertThat(shell.out()).contains("REFUSED: ");
    assertThat(unknown.code()).isEqualTo(ExitCodes.FAILURE);
    assertThat(unknown.out()).contains("REFUSED: ").contains("/usr/bin/id");
  }

  @Test
  void aMinimumIsolationThisMachineCannotGive_refusesEveryShellTask() throws Exception {
    Files.writeString(policy, Files.readString(policy) + "minimumIsolation: bubblewrap\n");

    Result r = check("--policy", policy.toString(), "--without", "bubblewrap");

    assertThat(r.code()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.out()).contains("REFUSED: every shell task").contains("requires isolation bubblewrap");
  }

  @Test
  void aBrokenPolicy_isABadArgument_namingFileLineAndKey() throws Exception {
    Files.writeString(policy, "version: 1\nconsent: sometimes\n");

    Result r = check("--policy", policy.toString());

    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains(policy.toString()).contains("line 2").contains("consent");
  }
}
