package io.cortexhub.node.fs;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortexhub.node.task.RunningTask;
import io.cortexhub.node.task.StopReason;
import io.cortexhub.node.testing.FakeClock;
import io.cortexhub.proto.node.v1.TaskOutcome;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two agent processes sharing a workspace: the lock files serialise their changes. The other
 * process is a real JVM ({@link FsWorkerMain}) started with this test's class path.
 */
@EnabledOnOs(OS.LINUX)
class FsCrossProcessTest {
  @TempDir Path ws;
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void killLeftovers() throws Exception {
    for (Process p : started) {
      if (p.isAlive()) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private Process worker(String... args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), FsWorkerMain.class.getName()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    started.add(p);
    return p;
  }

  private static String finish(Process p) throws Exception {
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("worker ended").isTrue();
    assertThat(p.exitValue()).as("worker exit code; output: %s", out).isZero();
    return out;
  }

  @Test
  void appendsFromTwoProcesses_neverInterleaveOrLoseARecord() throws Exception {
    Process a = worker("append", ws.toString(), "log", "0", "40", "8192");
    Process b = worker("append", ws.toString(), "log", "1", "40", "8192");
    finish(a);
    finish(b);
    FsConcurrencyTest.assertRecords(ws.resolve("log"), 2, 40, 8192);
  }

  @Test
  void compareAndSwapIncrementsFromTwoProcesses_loseNoUpdate() throws Exception {
    Files.writeString(ws.resolve("counter"), "0");
    Process a = worker("increment", ws.toString(), "counter", "25");
    Process b = worker("increment", ws.toString(), "counter", "25");
    finish(a);
    finish(b);
    assertThat(ws.resolve("counter")).hasContent("50");
  }

  @Test
  void writeWaitsForTheLockHeldByAnotherProcess() throws Exception {
    Files.writeString(ws.resolve("held.txt"), "");
    Process holder = worker("hold", ws.toString(), "held.txt");
    BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
    assertThat(out.readLine()).isEqualTo("locked");
    try (FsHarness fs = FsHarness.writable(ws)) {
      FsHarness.Events events = new FsHarness.Events();
      fs.start(Ops.write("held.txt", "task\n"), events, 0);
      // The holder appends under its lock and only then releases: if our write did not wait, the
      // holder's line would land after it. With the lock, the write replaces the file afterwards.
      release(holder);
      assertThat(out.readLine()).isEqualTo("released");
      assertThat(events.await().succeeded()).isTrue();
      assertThat(ws.resolve("held.txt")).hasContent("task");
      assertThat(fs.changes.get(0).before()).contains(FsOperationsTest.sha("holder\n"));
    }
    finish(holder);
  }

  @Test
  void cancelWhileWaitingForALock_endsCancelled_andWritesNothing() throws Exception {
    Files.writeString(ws.resolve("held.txt"), "original\n");
    Process holder = worker("hold", ws.toString(), "held.txt");
    BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
    assertThat(out.readLine()).isEqualTo("locked");
    try (FsHarness fs = FsHarness.writable(ws)) {
      FsHarness.Events events = new FsHarness.Events();
      RunningTask task = fs.start(Ops.write("held.txt", "task\n"), events, 0);
      task.stop(StopReason.CANCELLED, "cancelled by the hub", Duration.ofSeconds(1));
      FsHarness.Run run = events.await();
      assertThat(run.result().outcome()).isEqualTo(TaskOutcome.TASK_OUTCOME_CANCELLED);
      assertThat(run.detail()).isEqualTo("cancelled by the hub");
      assertThat(fs.changes).isEmpty();
      release(holder);
      assertThat(out.readLine()).isEqualTo("released");
      // The lock is usable again once the holder let go: nothing leaked from the abandoned wait.
      assertThat(fs.run(Ops.append("held.txt", "after\n")).succeeded()).isTrue();
    }
    finish(holder);
    assertThat(ws.resolve("held.txt")).hasContent("original\nholder\nafter");
  }

  @Test
  void timeoutPassedWhileWaitingForALock_endsTimedOut_andWritesNothing() throws Exception {
    Files.writeString(ws.resolve("held.txt"), "original\n");
    Process holder = worker("hold", ws.toString(), "held.txt");
    BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
    assertThat(out.readLine()).isEqualTo("locked");
    FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
    try (FsHarness fs = new FsHarness(List.of(new FsRoot(ws, true)), FsLimits.DEFAULTS, clock)) {
      FsHarness.Events events = new FsHarness.Events();
      fs.start(Ops.write("held.txt", "task\n"), events, 1000);
      clock.advance(Duration.ofMillis(1001));
      release(holder);
      FsHarness.Run run = events.await();
      assertThat(run.result().outcome()).isEqualTo(TaskOutcome.TASK_OUTCOME_TIMED_OUT);
      assertThat(run.detail()).isEqualTo("fs operation ran past its timeout of 1000 ms");
    }
    finish(holder);
    assertThat(ws.resolve("held.txt")).hasContent("original\nholder");
  }

  private static void release(Process holder) throws Exception {
    Writer in = new OutputStreamWriter(holder.getOutputStream(), StandardCharsets.UTF_8);
    in.write("go\n");
    in.flush();
  }
}
