package io.cortexhub.node.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortexhub.node.policy.CommandVerdict;
import io.cortexhub.node.policy.NodePolicy;
import io.cortexhub.node.policy.PolicyFile;
import io.cortexhub.node.policy.WorkspaceRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands each level builds; the sandbox tests run them for real. */
class SandboxLauncherTest {
  @TempDir Path tmp;

  static final Map<Primitive, Path> TOOLS = Map.of(Primitive.BUBBLEWRAP, Path.of("/usr/bin/bwrap"),
      Primitive.UNSHARE, Path.of("/usr/bin/unshare"), Primitive.SETPRIV, Path.of("/usr/bin/setpriv"));

  static IsolationReport at(IsolationLevel level) {
    return new IsolationReport(level, true, TOOLS, QuotaMechanism.NONE, List.of());
  }

  LaunchPlan plan(IsolationLevel level, NodePolicy policy) throws Exception {
    Path task = Files.createDirectories(tmp.resolve("tasks/t1"));
    CommandVerdict.Allowed allowed =
        new CommandVerdict.Allowed(List.of("/usr/bin/id", "-u"), task, Map.of("PATH", "/usr/bin", "HOME", task.toString()));
    return new SandboxLauncher(at(level), policy).plan(allowed, task, TaskQuota.NONE, Map.of("CORTEX_TASK_MARKER", "m"));
  }

  @Test
  void bubblewrap_asRoot_noUserNamespace_emptyNetwork_readOnlySystem_dropInside() throws Exception {
    Path ws = Files.createDirectory(tmp.resolve("ws"));
    Path ro = Files.createDirectory(ws.resolve("ro"));
    NodePolicy p = PolicyFile.defaults().withWorkspaceRoots(List.of(new WorkspaceRoot(ro, false), new WorkspaceRoot(ws, true)));
    List<String> c = plan(IsolationLevel.BUBBLEWRAP, p).command();
    assertThat(c).contains("/usr/bin/bwrap", "--die-with-parent", "--unshare-pid", "--unshare-net", "--clearenv")
        .doesNotContain("--unshare-user", "--share-net", "--unshare-all");
    assertThat(c).containsSubsequence("--ro-bind", "/usr", "/usr");
    // The writable parent is bound before the read-only child, so the child stays read-only.
    assertThat(Collections.indexOfSubList(c, List.of("--bind", ws.toString(), ws.toString())))
        .isLessThan(Collections.indexOfSubList(c, List.of("--ro-bind", ro.toString(), ro.toString())));
    assertThat(c).containsSubsequence("--", "/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
        "--no-new-privs", "--", "/usr/bin/id", "-u");
    assertThat(c.subList(c.size() - 2, c.size())).containsExactly("/usr/bin/id", "-u");
    assertThat(c).containsSubsequence("--setenv", "CORTEX_TASK_MARKER", "m");
    assertThat(plan(IsolationLevel.BUBBLEWRAP, p.withNetworkAllowed(true)).command()).doesNotContain("--unshare-net");
  }

  @Test
  void unshare_setpriv_none_wrapLess_andLess() throws Exception {
    NodePolicy p = PolicyFile.defaults();
    List<String> u = plan(IsolationLevel.UNSHARE, p).command();
    assertThat(u).containsSubsequence("/usr/bin/unshare", "--mount", "--pid", "--fork", "--kill-child", "--net", "--",
        "/usr/bin/setpriv", "--reuid=65534").doesNotContain("/usr/bin/bwrap", "--user");
    List<String> s = plan(IsolationLevel.SETPRIV, p).command();
    assertThat(s).containsSubsequence("/usr/bin/setpriv", "--reuid=65534", "--", "/usr/bin/id").doesNotContain("/usr/bin/unshare");
    LaunchPlan n = plan(IsolationLevel.NONE, p.withRunAsUser(java.util.Optional.empty()));
    assertThat(n.command()).doesNotContain("/usr/bin/setpriv").endsWith("/usr/bin/id", "-u");
    assertThat(n.environment()).containsEntry("CORTEX_TASK_MARKER", "m").containsEntry("PATH", "/usr/bin");
  }

  @Test
  void refusal_whenWeakerThanTheMinimum_orWhenRunAsCannotBeHonoured() {
    NodePolicy p = PolicyFile.defaults().withMinimumIsolation(IsolationLevel.UNSHARE);
    assertThat(new SandboxLauncher(at(IsolationLevel.SETPRIV), p).refusal())
        .hasValueSatisfying(r -> assertThat(r).contains("requires isolation unshare but this machine offers only setpriv"));
    assertThat(new SandboxLauncher(at(IsolationLevel.BUBBLEWRAP), p).refusal()).isEmpty();
    IsolationReport notRoot = new IsolationReport(IsolationLevel.BUBBLEWRAP, false, TOOLS, QuotaMechanism.NONE, List.of());
    assertThat(new SandboxLauncher(notRoot, PolicyFile.defaults()).refusal())
        .hasValueSatisfying(r -> assertThat(r).contains("agent is not root"));
  }
  @Test
  void taskDirsBelowADirectoryTheRunAsUserCannotSearch_areReported_belowBubblewrapOnly() throws Exception {
    Path closed = Files.createDirectory(tmp.resolve("closed"));
    Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
    Path open = Files.createDirectory(tmp.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwx--x--x"));
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
    NodePolicy asNobody = PolicyFile.defaults().withRunAsUser(Optional.of("nobody"));

    Optional<String> problem =
        new SandboxLauncher(at(IsolationLevel.UNSHARE), asNobody).taskDirsUnreachable(closed.resolve("work/tasks"));

    assertThat(problem).hasValueSatisfying(p -> assertThat(p).contains("nobody").contains(closed.toString())
        .contains("rwx------").contains("--work-dir"));
    assertThat(new SandboxLauncher(at(IsolationLevel.SETPRIV), asNobody)
        .taskDirsUnreachable(open.resolve("work/tasks"))).isEmpty();
    assertThat(new SandboxLauncher(at(IsolationLevel.BUBBLEWRAP), asNobody)
        .taskDirsUnreachable(closed.resolve("work/tasks"))).as("bwrap makes its own parents").isEmpty();
    assertThat(new SandboxLauncher(at(IsolationLevel.SETPRIV), asNobody.withRunAsUser(Optional.empty()))
        .taskDirsUnreachable(closed.resolve("work/tasks"))).as("no user switch").isEmpty();
  }
}
