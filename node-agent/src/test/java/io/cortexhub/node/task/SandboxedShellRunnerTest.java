package io.cortexhub.node.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.condition.OS.LINUX;

import io.cortexhub.node.policy.NodePolicy;
import io.cortexhub.node.policy.ResourceLimits;
import io.cortexhub.node.policy.WorkspaceRoot;
import io.cortexhub.node.sandbox.IsolationLevel;
import io.cortexhub.node.sandbox.IsolationProbe;
import io.cortexhub.node.sandbox.IsolationReport;
import io.cortexhub.node.sandbox.Primitive;
import io.cortexhub.node.sandbox.QuotaController;
import io.cortexhub.node.sandbox.QuotaMechanism;
import io.cortexhub.node.testing.Await;
import io.cortexhub.node.testing.TestPolicies;
import io.cortexhub.proto.node.v1.OutputStream;
import io.cortexhub.proto.node.v1.ShellPayload;
import io.cortexhub.proto.node.v1.TaskOutcome;
import io.cortexhub.proto.node.v1.TaskSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox with the machine's real primitives: bubblewrap, unshare, setpriv and cgroups. CI runs
 * as root on Linux and installs bubblewrap, so a missing primitive fails here rather than skipping.
 */
@EnabledOnOs(LINUX)
class SandboxedShellRunnerTest {
  private static final OutputStream OUT = OutputStream.OUTPUT_STREAM_STDOUT;
  private static final OutputStream ERR = OutputStream.OUTPUT_STREAM_STDERR;
  private static final String[] PROGRAMS = {
    "true", "sh", "bash", "id", "cat", "grep", "touch", "ls", "sleep", "setsid", "env", "hostname"
  };
  private static IsolationReport machine;

  @TempDir Path tmp;
  Path ws;
  Path ro;
  Path outside;

  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
  private final ExecutorService io = Executors.newCachedThreadPool();
  private int counter;

  @BeforeAll
  static void probe() {
    machine = new IsolationProbe().probe();
  }

  @BeforeEach
  void dirs() throws Exception {
    ws = nobodyDir("ws");
    ro = nobodyDir("ro");
    outside = Files.createDirectory(tmp.resolve("outside"));
    Files.setPosixFilePermissions(outside, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
  }

  private Path nobodyDir(String name) throws IOException {
    Path p = Files.createDirectory(tmp.resolve(name));
    Files.setAttribute(p, "unix:uid", 65534);
    Files.setAttribute(p, "unix:gid", 65534);
    return p.toRealPath();
  }

  @AfterEach
  void stopPools() {
    timers.shutdownNow();
    io.shutdownNow();
  }

  NodePolicy policy() {
    return TestPolicies.allowing(List.of(ws), PROGRAMS)
        .withWorkspaceRoots(List.of(new WorkspaceRoot(ws, true), new WorkspaceRoot(ro, false)))
        .withRunAsUser(Optional.of("nobody"))
        .withDefaultLimits(new ResourceLimits(64L << 20, 1000, 64, Duration.ofSeconds(60)));
  }

  ShellRunner runner(NodePolicy policy, IsolationReport report) {
    return new ShellRunner(Clock.systemUTC(), timers, io, new Random(11), new ProcessTreeKiller(), policy, report,
        QuotaController.forReport(report));
  }

  static IsolationReport pretending(Primitive... absent) {
    return new IsolationProbe(Set.of(absent)).probe();
  }

  TaskSpec spec(int timeoutMs, String... argv) {
    return TaskSpec.newBuilder().setTaskId("sbx-" + (++counter)).setCapability("shell").setTimeoutMs(timeoutMs)
        .setKillGraceMs(200).setShell(ShellPayload.newBuilder().addAllArgv(List.of(argv))).build();
  }

  Path taskDir(TaskSpec spec) {
    return tmp.resolve("agent").resolve("tasks").resolve(spec.getTaskId());
  }

  RecordingEvents start(ShellRunner runner, TaskSpec spec) {
    RecordingEvents e = new RecordingEvents();
    runner.start(spec, taskDir(spec), e);
    return e;
  }

  RecordingEvents run(ShellRunner runner, String... argv) {
    return start(runner, spec(0, argv));
  }

  @Test
  void thisMachine_offersBubblewrapAndCgroupQuotas() {
    assertThat(machine.root()).as("CI runs as root").isTrue();
    assertThat(machine.level()).as(machine.describe()).isEqualTo(IsolationLevel.BUBBLEWRAP);
    assertThat(machine.quotas()).as(machine.describe()).isIn(QuotaMechanism.CGROUP_V1, QuotaMechanism.CGROUP_V2);
    assertThat(machine.tool(Primitive.SETPRIV)).isPresent();
  }

  @Test
  void egress_fromATask_fails_withBubblewrapAndWithUnshare() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      AtomicInteger accepted = new AtomicInteger();
      io.execute(() -> {
        while (!server.isClosed()) {
          try {
            Socket s = server.accept();
            accepted.incrementAndGet();
            s.close();
          } catch (IOException e) {
            return;
          }
        }
      });
      String connect = "exec 3<>/dev/tcp/127.0.0.1/" + server.getLocalPort() + " && echo connected";
      for (IsolationReport report : List.of(machine, pretending(Primitive.BUBBLEWRAP))) {
        RecordingEvents e = run(runner(policy(), report), "bash", "-c", connect);
        TaskResult r = e.result();
        assertThat(r.outcome()).as(report.level() + ": " + e.text(ERR)).isEqualTo(TaskOutcome.TASK_OUTCOME_FAILED);
        // bwrap brings up a loopback of its own (nothing listens there); unshare leaves it down.
        assertThat(e.text(ERR)).as(report.level().wireName()).containsAnyOf("Connection refused", "Network is unreachable");
        assertThat(e.text(OUT)).isEmpty();
      }
      assertThat(accepted).hasValue(0);

      // Control: the same task with network allowed reaches the listener, so the refusal above is
      // the namespace and not the test.
      RecordingEvents open = run(runner(policy().withNetworkAllowed(true), machine), "bash", "-c", connect);
      assertThat(open.result().outcome()).as(open.text(ERR)).isEqualTo(TaskOutcome.TASK_OUTCOME_SUCCEEDED);
      assertThat(open.text(OUT)).isEqualTo("connected\n");
      Await.until("the control connection", () -> accepted.get() == 1);
    }
  }

  @Test
  void memoryBomb_endsAsQuotaExceeded_andTheNodeStaysHealthy() throws Exception {
    ShellRunner runner = runner(policy(), machine);
    RecordingEvents bomb = run(runner, "sh", "-c", "x=aaaaaaaaaaaaaaaa; while :; do x=$x$x; done");
    TaskResult r = bomb.result();
    assertThat(r.outcome()).as(r.detail() + " / " + bomb.text(ERR)).isEqualTo(TaskOutcome.TASK_OUTCOME_QUOTA_EXCEEDED);
    assertThat(r.detail()).contains("memory limit of " + (64L << 20) + " bytes exceeded");
    assertThat(run(runner, "true").result().outcome()).isEqualTo(TaskOutcome.TASK_OUTCOME_SUCCEEDED);
  }

  @Test
  void forkBomb_isHeldAtTheProcessLimit_killedWhole_andTheNodeStaysHealthy() throws Exception {
    ShellRunner runner = runner(policy(), machine);
    TaskSpec spec = spec(3_000, "sh", "-c", "f() { f | f & }; f; exec sleep 300");
    RecordingEvents bomb = start(runner, spec);
    Await.until("the bomb started", () -> bomb.pid.isDone() || bomb.finished.isDone());
    assertThat(bomb.finished.getNow(null)).as("finished before it started").isNull();
    long leader = bomb.pid.get();
    // The limits are really in the kernel while the task runs (once its entry has joined them all).
    Await.until("the task is under its memory, process and CPU limits", () -> {
      List<String> dirs = cgroupDirs(leader);
      return dirs.stream().anyMatch(d -> limit(d, "memory.limit_in_bytes", "memory.max") == 64L << 20)
          && dirs.stream().anyMatch(d -> limit(d, "pids.max", "pids.max") == 64)
          && dirs.stream().anyMatch(d -> limit(d, "cpu.cfs_quota_us", "cpu.max") == 100_000);
    });
    List<String> cgroups = cgroupDirs(leader);
    AtomicInteger most = new AtomicInteger();
    Await.until("the bomb reaches the process limit", Duration.ofSeconds(20), () -> {
      most.accumulateAndGet(tagged(spec.getTaskId()).size(), Math::max);
      return bomb.finished.isDone() || most.get() >= 60;
    });
    TaskResult r = bomb.result();
    assertThat(r.outcome()).isEqualTo(TaskOutcome.TASK_OUTCOME_TIMED_OUT);
    assertThat(r.detail()).contains("process limit of 64 was reached");
    assertThat(most.get()).isLessThanOrEqualTo(64);
    assertThat(tagged(spec.getTaskId())).as("no process of the bomb survives").isEmpty();
    assertThat(cgroups).isNotEmpty().allSatisfy(d -> assertThat(Path.of(d)).doesNotExist());
    // Healthy: the agent still starts processes, threads and tasks.
    Thread t = new Thread(() -> {});
    t.start();
    t.join();
    assertThat(run(runner, "true").result().outcome()).isEqualTo(TaskOutcome.TASK_OUTCOME_SUCCEEDED);
  }

  @Test
  void aTask_cannotWriteOutsideItsRoots_orSeeTheHost() throws Exception {
    String script = String.join("; ",
        "touch " + ws + "/ok", "touch " + ro + "/no", "touch " + outside + "/no", "touch /usr/no",
        "touch /etc/no", "echo home > $HOME/home-ok", "echo tmp > /tmp/tmp-ok", "ls /root", "hostname", "true");
    RecordingEvents e = run(runner(policy(), machine), "sh", "-c", script);
    assertThat(e.result().outcome()).as(e.result().detail() + e.text(ERR)).isEqualTo(TaskOutcome.TASK_OUTCOME_SUCCEEDED);
    assertThat(ws.resolve("ok")).exists();
    assertThat(ro.resolve("no")).doesNotExist();
    assertThat(outside.resolve("no")).as("world-writable on the host, not mounted in the sandbox").doesNotExist();
    assertThat(Path.of("/usr/no")).doesNotExist();
    assertThat(Path.of("/etc/no")).doesNotExist();
    assertThat(Path.of("/tmp/tmp-ok")).as("the task's /tmp is its own").doesNotExist();
    assertThat(e.text(ERR)).contains(ro + "/no': Read-only file system")
        .contains(outside + "/no': No such file or directory")
        .contains("/usr/no': Read-only file system")
        .contains("/root': No such file or directory");
    assertThat(e.text(OUT)).isEqualTo("cortex-task\n");
  }

  @Test
  void aTask_cannotReadAnotherTasksDirectory() throws Exception {
    ShellRunner runner = runner(policy(), machine);
    TaskSpec first = spec(0, "sh", "-c", "echo secret > $HOME/secret");
    RecordingEvents writer = start(runner, first);
    assertThat(writer.result().outcome()).as(writer.result().detail() + writer.text(ERR)).isEqualTo(TaskOutcome.TASK_OUTCOME_SUCCEEDED);
    Path secret = taskDir(first).resolve("secret");
    assertThat(secret).hasContent("secret");
    RecordingEvents second = run(runner, "cat", secret.toString());
    assertThat(second.result().outcome()).isEqualTo(TaskOutcome.TASK_OUTCOME_FAILED);
    assertThat(second.text(OUT)).isEmpty();
    assertThat(second.text(ERR)).contains("No such file or directory");
  }

  @Test
  void aPolicyDemandingBubblewrap_onAMachineWithoutIt_refusesToRun() throws Exception {
    IsolationReport poorer = pretending(Primitive.BUBBLEWRAP);
    assertThat(poorer.level()).isEqualTo(IsolationLevel.UNSHARE);
    assertThat(poorer.notes()).contains("pretending bubblewrap is absent");
    RecordingEvents e = run(runner(policy().withMinimumIsolation(IsolationLevel.BUBBLEWRAP), poorer), "true");
    TaskResult r = e.result();
    assertThat(r.outcome()).isEqualTo(TaskOutcome.TASK_OUTCOME_FAILED);
    assertThat(r.exitCode()).isEmpty();
    assertThat(r.detail()).contains("requires isolation bubblewrap but this machine offers only unshare");
    assertThat(e.pid).isNotDone();

    IsolationReport bare = pretending(Primitive.BUBBLEWRAP, Primitive.UNSHARE, Primitive.SETPRIV);
    assertThat(bare.level()).isEqualTo(IsolationLevel.NONE);
    RecordingEvents none = run(runner(policy().withMinimumIsolation(IsolationLevel.SETPRIV), bare), "true");
    assertThat(none.result().detail()).contains("requires isolation setpriv but this machine offers only none");
    // Run-as nobody without setpriv cannot be honoured either: refused, not run as root.
    RecordingEvents asRoot = run(runner(policy(), bare), "true");
    assertThat(asRoot.result().detail()).contains("setpriv is not available here");
  }

  @Test
  void runAsNobody_isReallyApplied_atEveryLevelThatDropsPrivileges() throws Exception {
    List<IsolationReport> levels = List.of(machine, pretending(Primitive.BUBBLEWRAP),
        pretending(Primitive.BUBBLEWRAP, Primitive.UNSHARE));
    List<IsolationLevel> seen = new ArrayList<>();
    for (IsolationReport report : levels) {
      seen.add(report.level());
      RecordingEvents e = run(runner(policy(), report), "sh", "-c",
          "id -u; id -g; id -G; grep -E '^(CapEff|CapBnd|NoNewPrivs)' /proc/self/status");
      assertThat(e.result().outcome()).as(e.text(ERR)).isEqualTo(TaskOutcome.TASK_OUTCOME_SUCCEEDED);
      assertThat(e.text(OUT)).as(report.level().wireName()).isEqualTo(
          "65534\n65534\n65534\nCapEff:\t0000000000000000\nCapBnd:\t0000000000000000\nNoNewPrivs:\t1\n");
    }
    assertThat(seen).containsExactly(IsolationLevel.BUBBLEWRAP, IsolationLevel.UNSHARE, IsolationLevel.SETPRIV);
  }

  @Test
  void aDaemonThatLeftTheTreeAndScrubbedItsEnvironment_isKilledThroughTheCgroup() throws Exception {
    // Level none with cgroups: the process group, descendants and marker cannot see this daemon.
    IsolationReport groupsOnly = new IsolationReport(IsolationLevel.NONE, true, Map.of(), machine.quotas(), List.of());
    ShellRunner runner = runner(policy().withRunAsUser(Optional.empty()), groupsOnly);
    String tag = "303." + (System.nanoTime() % 100_000);
    TaskSpec spec = spec(0, "sh", "-c", "setsid -f env -i sleep " + tag + "; exec sleep 300");
    RecordingEvents e = new RecordingEvents();
    RunningTask task = runner.start(spec, taskDir(spec), e);
    Await.until("the escaped daemon", () -> ShellRunnerTest.escaped(tag).isPresent());
    ProcessHandle daemon = ShellRunnerTest.escaped(tag).orElseThrow();
    assertThat(environ(daemon.pid())).doesNotContain(ProcessTreeKiller.MARKER_VARIABLE);
    assertThat(ProcessHandle.of(e.pid.get()).orElseThrow().descendants()).doesNotContain(daemon);

    task.stop(StopReason.CANCELLED, "", Duration.ofMillis(200));
    assertThat(e.result().outcome()).isEqualTo(TaskOutcome.TASK_OUTCOME_CANCELLED);
    Await.until("the daemon is gone", () -> !daemon.isAlive());
  }

  /**
   * The agent skips its leftover search after a normal exit at these levels (a {@code kill} process
   * and a {@code /proc} scan per task); this is the kernel behaviour that makes that safe. No quota,
   * so no cgroup sweep either.
   */
  @Test
  void aDaemonLeftInThePidNamespace_diesWithTheLeader_withoutAnyCleanupOfTheAgent() throws Exception {
    for (IsolationReport level : List.of(machine, pretending(Primitive.BUBBLEWRAP))) {
      IsolationReport noQuotas =
          new IsolationReport(level.level(), level.root(), level.tools(), QuotaMechanism.NONE, List.of());
      String tag = "304." + (System.nanoTime() % 100_000);
      // The daemon leaves the process group, drops the marker, and announces itself (in the task's
      // working directory) before the leader exits, so it really ran.
      RecordingEvents e = start(runner(policy(), noQuotas), spec(30_000, "sh", "-c",
          "setsid -f sh -c 'touch up; exec env -i sleep " + tag + "'; until [ -e up ]; do :; done; echo started"));

      TaskResult r = e.result();

      assertThat(r.outcome()).as(level.level() + ": " + r.detail()).isEqualTo(TaskOutcome.TASK_OUTCOME_SUCCEEDED);
      assertThat(e.text(OUT)).isEqualTo("started\n");
      Await.until("the daemon of " + level.level() + " is gone", () -> ShellRunnerTest.escaped(tag).isEmpty());
    }
  }

  /** The cgroup directories (v1 or v2) a process is in below our task directory. */
  static List<String> cgroupDirs(long pid) {
    List<String> out = new ArrayList<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"));
    } catch (IOException e) {
      return out;
    }
    for (String line : lines) {
      String[] f = line.split(":", 3);
      if (!f[2].contains("/cortex-tasks/")) {
        continue;
      }
      String hierarchy = f[1].isEmpty() ? "" : f[1].split(",")[0];
      Path mount = hierarchy.isEmpty() ? Path.of("/sys/fs/cgroup") : Path.of("/sys/fs/cgroup", hierarchy);
      out.add(mount.resolve(f[2].substring(1)).toString());
    }
    return out;
  }

  /** The first number in a v1 or v2 limit file of a cgroup directory, or -1 if it has neither. */
  static long limit(String dir, String v1, String v2) {
    for (String name : List.of(v1, v2)) {
      Path f = Path.of(dir, name);
      if (Files.exists(f)) {
        try {
          return Long.parseLong(Files.readString(f).trim().split("\\s+")[0]);
        } catch (IOException | NumberFormatException e) {
          return -1;
        }
      }
    }
    return -1;
  }

  /** Live processes whose environment has this task's marker. */
  static List<Long> tagged(String taskId) {
    byte[] needle = (ProcessTreeKiller.MARKER_VARIABLE + "=" + taskId + "-").getBytes(StandardCharsets.UTF_8);
    List<Long> out = new ArrayList<>();
    ProcessHandle.allProcesses().forEach(p -> {
      if (environ(p.pid()).contains(new String(needle, StandardCharsets.UTF_8))) {
        out.add(p.pid());
      }
    });
    return out;
  }

  static String environ(long pid) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/environ")), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
