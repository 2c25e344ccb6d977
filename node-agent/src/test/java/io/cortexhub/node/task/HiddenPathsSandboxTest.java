package io.cortexhub.node.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.condition.OS.LINUX;

import io.cortexhub.node.policy.NodePolicy;
import io.cortexhub.node.policy.WorkspaceRoot;
import io.cortexhub.node.sandbox.IsolationLevel;
import io.cortexhub.node.sandbox.IsolationProbe;
import io.cortexhub.node.sandbox.IsolationReport;
import io.cortexhub.node.sandbox.QuotaController;
import io.cortexhub.node.testing.TestPolicies;
import io.cortexhub.proto.node.v1.OutputStream;
import io.cortexhub.proto.node.v1.ShellPayload;
import io.cortexhub.proto.node.v1.TaskOutcome;
import io.cortexhub.proto.node.v1.TaskSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's own files stay invisible inside the real bubblewrap sandbox even where a workspace
 * root holds them and their modes would let the task read them: the sandbox covers them.
 */
@EnabledOnOs(LINUX)
class HiddenPathsSandboxTest {
  @TempDir Path tmp;
  Path root;
  Path stateDir;
  Path auditLog;
  int counter;

  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
  private final ExecutorService io = Executors.newCachedThreadPool();
  private static final IsolationReport MACHINE = new IsolationProbe().probe();

  @BeforeEach
  void layout() throws Exception {
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    root = Files.createDirectories(tmp.resolve("srv")).toRealPath();
    stateDir = Files.createDirectories(root.resolve("state"));
    Files.writeString(stateDir.resolve("credentials.pem"), "private key");
    auditLog = Files.writeString(root.resolve("audit.log"), "audit records");
    for (Path p : List.of(root, stateDir)) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    for (Path p : List.of(stateDir.resolve("credentials.pem"), auditLog)) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--")); // readable if visible
    }
  }

  @AfterEach
  void stop() {
    timers.shutdownNow();
    io.shutdownNow();
  }

  private ShellRunner runner(List<Path> hidden) {
    NodePolicy policy = TestPolicies.allowing(List.of(), "cat", "ls")
        .withWorkspaceRoots(List.of(new WorkspaceRoot(root, false)))
        .withRunAsUser(Optional.of("nobody"));
    return new ShellRunner(Clock.systemUTC(), timers, io, new Random(1), new ProcessTreeKiller(), policy, MACHINE,
        QuotaController.none(), hidden);
  }

  private RecordingEvents run(ShellRunner r, String... argv) {
    TaskSpec spec = TaskSpec.newBuilder().setTaskId("hid-" + (++counter)).setCapability("shell")
        .setShell(ShellPayload.newBuilder().addAllArgv(List.of(argv))).build();
    RecordingEvents e = new RecordingEvents();
    r.start(spec, tmp.resolve("agent/tasks").resolve(spec.getTaskId()), e);
    return e;
  }

  @Test
  void theAgentsFiles_insideAReadOnlyRoot_areCoveredInTheSandbox() throws Exception {
    assertThat(MACHINE.level()).as(MACHINE.describe()).isEqualTo(IsolationLevel.BUBBLEWRAP);
    // Without the cover, the modes alone would let the task read them.
    RecordingEvents visible = run(runner(List.of()), "cat", stateDir.resolve("credentials.pem").toString());
    assertThat(visible.result().outcome()).isEqualTo(TaskOutcome.TASK_OUTCOME_SUCCEEDED);
    assertThat(visible.text(OutputStream.OUTPUT_STREAM_STDOUT)).isEqualTo("private key");

    ShellRunner covered = runner(List.of(stateDir, auditLog));
    RecordingEvents key = run(covered, "cat", stateDir.resolve("credentials.pem").toString());
    assertThat(key.result().outcome()).isEqualTo(TaskOutcome.TASK_OUTCOME_FAILED);
    assertThat(key.text(OutputStream.OUTPUT_STREAM_STDERR)).contains("No such file or directory");
    // A file is covered by /dev/null on a nodev mount: opening it is refused outright.
    RecordingEvents log = run(covered, "cat", auditLog.toString());
    assertThat(log.result().outcome()).isEqualTo(TaskOutcome.TASK_OUTCOME_FAILED);
    assertThat(log.text(OutputStream.OUTPUT_STREAM_STDERR)).contains("Permission denied");
    assertThat(log.text(OutputStream.OUTPUT_STREAM_STDOUT)).isEmpty();
    RecordingEvents list = run(covered, "ls", "-A", stateDir.toString());
    assertThat(list.result().outcome()).isEqualTo(TaskOutcome.TASK_OUTCOME_SUCCEEDED);
    assertThat(list.text(OutputStream.OUTPUT_STREAM_STDOUT)).isEmpty();
    // On the host nothing changed.
    assertThat(stateDir.resolve("credentials.pem")).hasContent("private key");
    assertThat(auditLog).hasContent("audit records");
  }
}
