package io.cortexhub.node.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortexhub.node.policy.ResourceLimits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controllers' file protocol against a directory tree playing a cgroup file system (this CI
 * machine has v1 only, so v2 is exercised here; v1 also runs for real in the sandbox tests), and
 * the entry shim with a real {@code sh}.
 */
class CgroupControllersTest {
  @TempDir Path tmp;

  static final ResourceLimits LIMITS = new ResourceLimits(256L << 20, 1500, 32, Duration.ofMinutes(1));

  Cgroups.Host host(String mounts, String self) throws Exception {
    Path m = Files.writeString(tmp.resolve("mounts"), mounts);
    Path s = Files.writeString(tmp.resolve("self-cgroup"), self);
    return new Cgroups.Host(m, s, Path.of("/bin/sh"));
  }

  @Test
  void v2_delegatesControllers_movesTheAgentIntoALeaf_andWritesEveryLimit() throws Exception {
    Path root = Files.createDirectory(tmp.resolve("cg2"));
    Files.writeString(root.resolve("cgroup.controllers"), "cpuset cpu io memory pids\n");
    Path service = Files.createDirectory(root.resolve("agent.service"));
    Files.writeString(service.resolve("cgroup.controllers"), "cpu memory pids\n");
    Files.writeString(service.resolve("cgroup.procs"), "999999\n");
    Files.writeString(service.resolve("cgroup.subtree_control"), "");
    Cgroups.Host host = host("cgroup2 " + root + " cgroup2 rw,nosuid 0 0\n", "0::/agent.service\n");

    List<String> notes = new ArrayList<>();
    CgroupV2Controller c = CgroupV2Controller.locate(host, notes).orElseThrow(() -> new AssertionError(notes));
    assertThat(service.resolve("agent/cgroup.procs")).hasContent(Long.toString(ProcessHandle.current().pid()));
    assertThat(service.resolve("cgroup.subtree_control")).hasContent("+memory +pids +cpu");
    assertThat(service.resolve("cortex-tasks/cgroup.subtree_control")).hasContent("+memory +pids +cpu");

    TaskQuota q = c.create("task/1", LIMITS);
    Path dir;
    try (Stream<Path> s = Files.list(service.resolve("cortex-tasks"))) {
      dir = s.filter(Files::isDirectory).findFirst().orElseThrow();
    }
    assertThat(dir.getFileName().toString()).startsWith("t-task_1-" + ProcessHandle.current().pid() + "-");
    assertThat(dir.resolve("memory.max")).hasContent(Long.toString(256L << 20));
    assertThat(dir.resolve("memory.swap.max")).hasContent("0");
    assertThat(dir.resolve("memory.oom.group")).hasContent("1");
    assertThat(dir.resolve("pids.max")).hasContent("32");
    assertThat(dir.resolve("cpu.max")).hasContent("150000 100000");
    assertThat(q.wrap(List.of("/usr/bin/true")))
        .containsSubsequence("/bin/sh", "-c", Cgroups.ENTRY_SHIM, "cortex-cgroup-entry", "1",
            dir.resolve("cgroup.procs").toString(), "/usr/bin/true");

    Files.writeString(dir.resolve("memory.events"), "low 0\nhigh 0\nmax 7\noom 1\noom_kill 1\n");
    Files.writeString(dir.resolve("pids.events"), "max 3\n");
    assertThat(q.usage()).isEqualTo(new QuotaUsage(1, 7, 3));
    assertThat(q.usage().memoryExceeded(false)).isTrue();

    // An empty cgroup (the usual end of a task) is neither frozen nor killed.
    Files.writeString(dir.resolve("cgroup.procs"), "");
    q.killAll();
    assertThat(dir.resolve("cgroup.kill")).doesNotExist();
  }

  @Test
  void v2_withoutMemoryAndPids_isNotUsed_andSaysWhy() throws Exception {
    Path root = Files.createDirectory(tmp.resolve("unified"));
    Files.writeString(root.resolve("cgroup.controllers"), "");
    List<String> notes = new ArrayList<>();
    assertThat(CgroupV2Controller.locate(host("cgroup2 " + root + " cgroup2 rw 0 0\n", "0::/\n"), notes)).isEmpty();
    assertThat(notes).anySatisfy(n -> assertThat(n).contains("memory and pids controllers are not available"));
    assertThat(CgroupV2Controller.locate(host("", ""), notes)).isEmpty();
    assertThat(notes).contains("cgroup v2: not mounted");
  }

  @Test
  void v1_usesTheAgentsOwnCgroupInEachHierarchy_andCountsOomKills() throws Exception {
    Path memory = Files.createDirectories(tmp.resolve("v1/memory/agent"));
    Path pids = Files.createDirectories(tmp.resolve("v1/pids"));
    Cgroups.Host host = host(
        "cgroup " + memory.getParent() + " cgroup rw,memory 0 0\ncgroup " + pids + " cgroup rw,pids 0 0\n",
        "5:pids:/\n4:memory:/agent\n0::/\n");
    List<String> notes = new ArrayList<>();
    CgroupV1Controller c = CgroupV1Controller.locate(host, notes).orElseThrow(() -> new AssertionError(notes));
    assertThat(memory.resolve("cortex-tasks")).as("removed again while no task runs").doesNotExist();
    TaskQuota q = c.create("t", LIMITS);
    Path mem;
    try (Stream<Path> s = Files.list(memory.resolve("cortex-tasks"))) {
      mem = s.findFirst().orElseThrow();
    }
    assertThat(mem.resolve("memory.limit_in_bytes")).hasContent(Long.toString(256L << 20));
    assertThat(pids.resolve("cortex-tasks").resolve(mem.getFileName()).resolve("pids.max")).hasContent("32");
    Files.writeString(mem.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
    Files.writeString(mem.resolve("memory.failcnt"), "40\n");
    assertThat(q.usage()).isEqualTo(new QuotaUsage(2, 40, 0));
    List<String> cmd = q.wrap(List.of("x"));
    assertThat(cmd.get(4)).isEqualTo("2");

    List<String> none = new ArrayList<>();
    assertThat(CgroupV1Controller.locate(host("cgroup " + pids + " cgroup rw,pids 0 0\n", ""), none)).isEmpty();
    assertThat(none).contains("cgroup v1: no memory hierarchy mounted");
  }

  @Test
  void cgroupsLeftByADeadAgent_areRemoved_oursAreKept() throws Exception {
    Path memory = Files.createDirectories(tmp.resolve("v1/memory/cortex-tasks"));
    Path pids = Files.createDirectories(tmp.resolve("v1/pids"));
    // A pid that is certainly not alive: beyond pid_max.
    Path dead = Files.createDirectory(memory.resolve("t-old-task-99999999-3"));
    Path ours = Files.createDirectory(memory.resolve("t-live-" + ProcessHandle.current().pid() + "-1"));
    Path foreign = Files.createDirectory(memory.resolve("not-a-task"));
    Cgroups.Host host = host(
        "cgroup " + memory.getParent() + " cgroup rw,memory 0 0\ncgroup " + pids + " cgroup rw,pids 0 0\n", "");
    assertThat(CgroupV1Controller.locate(host, new ArrayList<>())).isPresent();
    assertThat(dead).doesNotExist();
    assertThat(ours).exists();
    assertThat(foreign).exists();
  }

  @Test
  void entryShim_joinsEveryCgroupBeforeTheCommandRuns_orRefusesToRunIt() throws Exception {
    Path a = tmp.resolve("a.procs");
    Path b = tmp.resolve("b.procs");
    List<String> cmd = Cgroups.enter(Path.of("/bin/sh"), List.of(a, b), List.of("/bin/sh", "-c", "echo $$"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor()).isZero();
    // exec keeps the pid: the command's own pid is what was written.
    assertThat(a).hasContent(out + "\n");
    assertThat(b).hasContent(out + "\n");
    assertThat(out).isEqualTo(Long.toString(p.pid()));

    List<String> bad = Cgroups.enter(Path.of("/bin/sh"), List.of(tmp.resolve("no/such/dir/cgroup.procs")),
        List.of("/bin/sh", "-c", "echo ran"));
    Process q = new ProcessBuilder(bad).redirectErrorStream(true).start();
    String qout = new String(q.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(q.waitFor()).isEqualTo(125);
    assertThat(qout).contains("cortex-node: cannot join cgroup").doesNotContain("ran");
  }
}
