package io.cortexhub.node.task;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cortexhub.node.policy.NodePolicy;
import io.cortexhub.node.sandbox.IsolationReport;
import io.cortexhub.node.sandbox.QuotaController;
import io.cortexhub.node.testing.Await;
import io.cortexhub.node.testing.TestPolicies;
import io.cortexhub.proto.node.v1.OutputStream;
import io.cortexhub.proto.node.v1.ShellPayload;
import io.cortexhub.proto.node.v1.TaskOutcome;
import io.cortexhub.proto.node.v1.TaskSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real processes: these tests fork {@code sh}, {@code sleep}, {@code cat} and {@code pwd}, through
 * the confined runner at isolation level none (the sandbox's own tests cover the stronger levels).
 */
class ShellRunnerTest {
  private static final OutputStream OUT = OutputStream.OUTPUT_STREAM_STDOUT;
  private static final OutputStream ERR = OutputStream.OUTPUT_STREAM_STDERR;

  @TempDir Path dir;

  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
  private final ExecutorService io = Executors.newCachedThreadPool();
  private ShellRunner runner;
  private int counter;

  @BeforeEach
  void runner() {
    NodePolicy policy =
        TestPolicies.allowing(List.of(dir), "true", "sh", "echo", "pwd", "cat", "sleep", "setsid")
            .withEnvAllowList(List.of("GREETING"));
    runner =
        new ShellRunner(Clock.systemUTC(), timers, io, new Random(7), new ProcessTreeKiller(), policy,
            IsolationReport.none(false, "test: level none"), QuotaController.none());
  }

  @AfterEach
  void stopPools() {
    timers.shutdownNow();
    io.shutdownNow();
  }

  private TaskSpec spec(ShellPayload.Builder shell, int timeoutMs, int graceMs) {
    return TaskSpec.newBuilder()
        .setTaskId("task-" + (++counter))
        .setNodeId("n")
        .setCapability("shell")
        .setTimeoutMs(timeoutMs)
        .setKillGraceMs(graceMs)
        .setShell(shell)
        .build();
  }

  private static ShellPayload.Builder argv(String... argv) {
    return ShellPayload.newBuilder().addAllArgv(List.of(argv));
  }

  private RecordingEvents run(ShellPayload.Builder shell) {
    return run(spec(shell, 0, 0));
  }

  private RecordingEvents run(TaskSpec spec) {
    RecordingEvents events = new RecordingEvents();
    runner.start(spec, dir.resolve("tasks").resolve(spec.getTaskId()), events);
    return events;
  }

  @Test
  void zeroExit_succeeds_andNonZeroExit_failsWithItsCode() throws Exception {
    TaskResult ok = run(argv("true")).result();
    assertThat(ok.outcome()).isEqualTo(TaskOutcome.TASK_OUTCOME_SUCCEEDED);
    assertThat(ok.exitCode()).hasValue(0);
    assertThat(ok.finishedAtUnixMs()).isGreaterThanOrEqualTo(ok.startedAtUnixMs());

    TaskResult bad = run(argv("sh", "-c", "exit 3")).result();
    assertThat(bad.outcome()).isEqualTo(TaskOutcome.TASK_OUTCOME_FAILED);
    assertThat(bad.exitCode()).hasValue(3);
    assertThat(bad.detail()).contains("exit code 3");
  }

  @Test
  void argvIsNotParsedByAShell() throws Exception {
    RecordingEvents e = run(argv("echo", "$HOME", "a;b", "*"));
    e.result();
    assertThat(e.text(OUT)).isEqualTo("$HOME a;b *\n");
  }

  @Test
  void env_isAddedToTheProcessEnvironment_andHomeIsTheTaskDirectory() throws Exception {
    TaskSpec spec = spec(argv("sh", "-c", "printf '%s/%s' \"$GREETING\" \"$HOME\"").putEnv("GREETING", "hello"), 0, 0);
    RecordingEvents e = run(spec);
    e.result();
    Path taskDir = dir.resolve("tasks").resolve(spec.getTaskId()).toRealPath();
    assertThat(e.text(OUT)).isEqualTo("hello/" + taskDir);
  }

  @Test
  void workingDir_defaultsToThePerTaskDirectory_orIsTheOneGiven() throws Exception {
    TaskSpec spec = spec(argv("pwd"), 0, 0);
    RecordingEvents e = run(spec);
    e.result();
    Path taskDir = dir.resolve("tasks").resolve(spec.getTaskId());
    assertThat(e.text(OUT).trim()).isEqualTo(taskDir.toRealPath().toString());

    Path other = Files.createDirectory(dir.resolve("elsewhere"));
    RecordingEvents given = run(argv("pwd").setWorkingDir(other.toString()));
    given.result();
    assertThat(given.text(OUT).trim()).isEqualTo(other.toRealPath().toString());
  }

  @Test
  void missingWorkingDir_orExecutable_failsWithoutStarting() throws Exception {
    RecordingEvents noDir = run(argv("true").setWorkingDir(dir.resolve("nope").toString()));
    assertThat(noDir.result().outcome()).isEqualTo(TaskOutcome.TASK_OUTCOME_FAILED);
    assertThat(noDir.result().detail()).contains("does not exist");
    assertThat(noDir.pid).isNotDone();

    RecordingEvents noExe = run(argv("/no/such/program"));
    assertThat(noExe.result().outcome()).isEqualTo(TaskOutcome.TASK_OUTCOME_FAILED);
    assertThat(noExe.result().exitCode()).isEmpty();
    assertThat(noExe.result().detail()).contains("cannot start /no/such/program");
  }

  @Test
  void stdin_isFedToTheProcess_thenClosed() throws Exception {
    RecordingEvents e = run(argv("cat").setStdin(ByteString.copyFromUtf8("line one\nline two\n")));
    assertThat(e.result().outcome()).isEqualTo(TaskOutcome.TASK_OUTCOME_SUCCEEDED);
    assertThat(e.text(OUT)).isEqualTo("line one\nline two\n");
  }

  @Test
  void stdoutAndStderr_arriveInterleavedInTheOrderProduced() throws Exception {
    RecordingEvents e =
        run(argv("sh", "-c", "echo out1; sleep 0.2; echo err1 >&2; sleep 0.2; echo out2; sleep 0.2; echo err2 >&2"));
    e.result();
    assertThat(e.output)
        .extracting(p -> p.stream() + ":" + p.text().trim())
        .containsExactly("OUTPUT_STREAM_STDOUT:out1", "OUTPUT_STREAM_STDERR:err1", "OUTPUT_STREAM_STDOUT:out2", "OUTPUT_STREAM_STDERR:err2");
    assertThat(e.outputAfterFinish).isFalse();
  }

  @Test
  void aLinePrintedByALongRunningProcess_arrivesPromptly() throws Exception {
    TaskSpec spec = spec(argv("sh", "-c", "echo first; exec sleep 30"), 0, 100);
    RecordingEvents e = new RecordingEvents();
    RunningTask task = runner.start(spec, dir.resolve("p"), e);
    Await.until("the first line", () -> !e.output.isEmpty());
    long latencyMs = TimeUnit.NANOSECONDS.toMillis(e.output.get(0).atNanos() - e.startedAtNanos.get());
    assertThat(latencyMs).isLessThan(500);
    assertThat(e.finished).isNotDone();
    task.stop(StopReason.CANCELLED, "test over", Duration.ofMillis(100));
    assertThat(e.result().outcome()).isEqualTo(TaskOutcome.TASK_OUTCOME_CANCELLED);
  }

  @Test
  void timeout_stopsTheProcess_asTimedOut() throws Exception {
    long start = System.nanoTime();
    RecordingEvents e = run(spec(argv("sleep", "30"), 300, 200));
    TaskResult r = e.result();
    assertThat(r.outcome()).isEqualTo(TaskOutcome.TASK_OUTCOME_TIMED_OUT);
    assertThat(r.exitCode()).isEmpty(); // killed by a signal
    assertThat(r.detail()).contains("300 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void cancel_killsTheWholeProcessTree() throws Exception {
    TaskSpec spec = spec(argv("sh", "-c", "sleep 300 & sleep 300 & wait"), 0, 2000);
    RecordingEvents e = new RecordingEvents();
    RunningTask task = runner.start(spec, dir.resolve("tree"), e);
    ProcessHandle leader = ProcessHandle.of(e.pid.get(5, TimeUnit.SECONDS)).orElseThrow();
    Await.until("two sleeping children", () -> leader.descendants().count() >= 2);
    Set<ProcessHandle> tree = leader.descendants().collect(Collectors.toSet());
    tree.add(leader);

    task.stop(StopReason.CANCELLED, "user asked", Duration.ofSeconds(2));
    TaskResult r = e.result();

    assertThat(r.outcome()).isEqualTo(TaskOutcome.TASK_OUTCOME_CANCELLED);
    assertThat(r.detail()).isEqualTo("user asked");
    Await.until("every process of the tree is gone", () -> tree.stream().noneMatch(ProcessHandle::isAlive));
  }

  @Test
  void childrenThatIgnoreSigterm_getSigkillAfterTheGrace() throws Exception {
    // An ignored signal stays ignored across fork and exec, so the sleep ignores SIGTERM too.
    TaskSpec spec = spec(argv("sh", "-c", "trap '' TERM; sleep 300 & wait"), 0, 300);
    RecordingEvents e = new RecordingEvents();
    RunningTask task = runner.start(spec, dir.resolve("stubborn"), e);
    ProcessHandle leader = ProcessHandle.of(e.pid.get(5, TimeUnit.SECONDS)).orElseThrow();
    Await.until("the child", () -> leader.descendants().count() >= 1);
    Set<ProcessHandle> tree = leader.descendants().collect(Collectors.toSet());
    tree.add(leader);

    task.stop(StopReason.CANCELLED, "", Duration.ofMillis(300));
    assertThat(e.result().outcome()).isEqualTo(TaskOutcome.TASK_OUTCOME_CANCELLED);
    Await.until("every process of the tree is gone", () -> tree.stream().noneMatch(ProcessHandle::isAlive));
  }

  @Test
  void aDoubleForkedSetsidDaemon_isFoundByItsMarker_andKilled() throws Exception {
    String tag = "301." + (System.nanoTime() % 100_000);
    TaskSpec spec = spec(argv("sh", "-c", "setsid -f sleep " + tag + "; exec sleep 300"), 0, 200);
    RecordingEvents e = new RecordingEvents();
    RunningTask task = runner.start(spec, dir.resolve("daemon"), e);
    Await.until("the escaped daemon", () -> escaped(tag).isPresent());
    ProcessHandle daemon = escaped(tag).orElseThrow();
    ProcessHandle leader = ProcessHandle.of(e.pid.get()).orElseThrow();
    assertThat(leader.descendants()).doesNotContain(daemon); // it really escaped the tree

    task.stop(StopReason.CANCELLED, "", Duration.ofMillis(200));
    e.result();
    Await.until("the daemon is gone", () -> !daemon.isAlive());
  }

  @Test
  void leftoversOfAFinishedLeader_areKilled_andDoNotHoldTheTaskOpen() throws Exception {
    String tag = "302." + (System.nanoTime() % 100_000);
    long start = System.nanoTime();
    RecordingEvents e = run(argv("sh", "-c", "sleep " + tag + " & echo started"));
    TaskResult r = e.result();
    assertThat(r.outcome()).isEqualTo(TaskOutcome.TASK_OUTCOME_SUCCEEDED);
    assertThat(e.text(OUT)).isEqualTo("started\n");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    Await.until("the background sleep is gone", () -> escaped(tag).isEmpty());
  }

  /**
   * The {@code sleep TAG} process itself: not the shell or the short-lived {@code setsid} whose
   * command lines also mention it (matching those made this test flaky under load).
   */
  static java.util.Optional<ProcessHandle> escaped(String tag) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().command().map(c -> c.endsWith("/sleep")).orElse(false))
        .filter(p -> p.info().arguments().map(a -> a.length == 1 && a[0].equals(tag)).orElse(false))
        .findFirst();
  }

  @Test
  void markerVariable_isSetForTheTask() throws Exception {
    RecordingEvents e = run(argv("sh", "-c", "printf %s \"$" + ProcessTreeKiller.MARKER_VARIABLE + "\""));
    e.result();
    assertThat(e.text(OUT)).startsWith("task-");
  }
}
