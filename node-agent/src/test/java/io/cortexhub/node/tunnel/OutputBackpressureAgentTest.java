package io.cortexhub.node.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortexhub.node.manifest.HostFacts;
import io.cortexhub.node.manifest.ManifestBuilder;
import io.cortexhub.node.sandbox.IsolationReport;
import io.cortexhub.node.sandbox.QuotaController;
import io.cortexhub.node.task.ProcessTreeKiller;
import io.cortexhub.node.task.ShellRunner;
import io.cortexhub.node.testing.Await;
import io.cortexhub.node.testing.FakeClock;
import io.cortexhub.node.testing.FakeHub;
import io.cortexhub.node.testing.GrpcCleanup;
import io.cortexhub.node.testing.TestPolicies;
import io.cortexhub.node.testing.TestTaskSigner;
import io.cortexhub.proto.node.v1.HubFrame;
import io.cortexhub.proto.node.v1.NodeFrame;
import io.cortexhub.proto.node.v1.OutputAck;
import io.cortexhub.proto.node.v1.ShellPayload;
import io.cortexhub.proto.node.v1.TaskAssignment;
import io.cortexhub.proto.node.v1.TaskFinished;
import io.cortexhub.proto.node.v1.TaskFinishedAck;
import io.cortexhub.proto.node.v1.TaskOutcome;
import io.cortexhub.proto.node.v1.TaskSpec;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real process that writes far more than the node may hold while the hub acknowledges nothing:
 * the agent stops reading its pipes (the process blocks), the spool stays within its budget, and
 * once acknowledgements flow every byte arrives, in order.
 */
class OutputBackpressureAgentTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String NODE_ID = "node-1";
  private static final long MEMORY = 64 * 1024;
  private static final long BUDGET = 256 * 1024;
  /** {@code seq 1 400000} prints about 2.6 MB: ten times what memory and spool may hold. */
  private static final int LINES = 400_000;

  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();
  @TempDir Path dir;

  final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
  final FakeHub hub = new FakeHub();
  static final TestTaskSigner SIGNER = TestTaskSigner.create();
  NodeAgent agent;

  AgentSettings settings() {
    return AgentSettings.defaults("edge-1", dir).withOutputMemoryPerTask(MEMORY).withMaxSpoolBytes(BUDGET);
  }

  FakeHub.Stream startAndWelcome(AgentSettings settings) throws Exception {
    ExecutorService pool = grpc.register(Executors.newFixedThreadPool(2));
    ExecutorService io = grpc.register(Executors.newCachedThreadPool());
    String name = InProcessServerBuilder.generateName();
    grpc.register(InProcessServerBuilder.forName(name).directExecutor().addService(hub).build().start());
    ManagedChannel channel = grpc.register(InProcessChannelBuilder.forName(name).build());
    AgentRuntime rt = new AgentRuntime(clock, clock.scheduler(), pool, io, new Random(3), () -> 0.1);
    ShellRunner shell =
        new ShellRunner(clock, clock.scheduler(), io, new Random(4), new ProcessTreeKiller(),
            TestPolicies.allowing(List.of(), "seq", "sh"), IsolationReport.none(false, "test"), QuotaController.none());
    var manifest = ManifestBuilder.build(HostFacts.probe(), List.of("shell"), settings.labels(), 4);
    agent =
        new NodeAgent(
            settings, manifest, List.of(shell), channel, new FixedBackoff(Duration.ofSeconds(1)), rt, new AgentMetrics(),
            SIGNER.nodeSecurity(clock));
    grpc.onClose(() -> agent.shutdown().get(10, TimeUnit.SECONDS));
    agent.start();
    FakeHub.Stream s = hub.nextStream(WAIT);
    assertThat(s.next().hasHello()).isTrue();
    s.welcome(NODE_ID, 60_000);
    s.grant("shell");
    Await.until("welcomed", agent::isConnected);
    return s;
  }

  void assign(FakeHub.Stream s, String id, int timeoutMs, String... argv) {
    TaskSpec spec =
        TaskSpec.newBuilder()
            .setIssuedAtUnixMs(clock.millis())
            .setNotAfterUnixMs(clock.millis() + 3_600_000)
            .setNonce(NodeAgentTest.nonce())
            .setTaskId(id)
            .setNodeId(NODE_ID)
            .setCapability("shell")
            .setTimeoutMs(timeoutMs)
            .setKillGraceMs(200)
            .setShell(ShellPayload.newBuilder().addAllArgv(List.of(argv)))
            .build();
    s.assign(SIGNER.assignment(spec));
  }

  long spoolBytes() {
    Path spool = settings().spoolDir();
    if (!Files.isDirectory(spool)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(spool)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    } catch (IOException e) {
      return -1; // a segment vanished while we looked: try again
    }
  }

  /** Takes what the node sent before it had to stop (its in-memory window), without acknowledging. */
  static long collectUnacked(FakeHub.Stream s, ByteArrayOutputStream out) throws Exception {
    long last = 0;
    NodeFrame f;
    while ((f = s.poll(Duration.ofMillis(300))) != null) {
      if (f.hasOutput()) {
        assertThat(f.getOutput().getSeq()).isEqualTo(last + 1);
        last = f.getOutput().getSeq();
        f.getOutput().getData().writeTo(out);
      }
    }
    return last;
  }

  static String expectedLines(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(Integer::toString).collect(Collectors.joining("\n", "", "\n"));
  }

  @Test
  void processWritingMoreThanTheBudget_isHeldBack_thenCompletesIntactOnceAcksFlow() throws Exception {
    FakeHub.Stream s = startAndWelcome(settings());
    assign(s, "big-1", 0, "seq", "1", Integer.toString(LINES));
    assertThat(s.next().hasTaskAccepted()).isTrue();
    assertThat(s.next().hasTaskStarted()).isTrue();

    Await.until("spool filled up to its budget", WAIT, () -> spoolBytes() > BUDGET - 70 * 1024);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    // The node sent its in-memory window; with no acks, nothing more comes and nothing finishes.
    long sent = collectUnacked(s, out);
    assertThat(sent).isPositive();
    long spooled = spoolBytes();
    assertThat(spooled).isBetween(0L, BUDGET);
    assertThat(s.poll(Duration.ofMillis(300))).as("blocked: no more output, no TaskFinished").isNull();
    assertThat(spoolBytes()).as("the spool stopped growing").isEqualTo(spooled);
    assertThat(out.size()).isLessThan(expectedLines(LINES).length() / 4);

    // The hub acknowledges what it got; everything else follows, in order, to the end.
    s.send(HubFrame.newBuilder().setOutputAck(OutputAck.newBuilder().setTaskId("big-1").setSeq(sent)).build());
    TaskFinished fin = ackUntilFinishedFrom(s, "big-1", out, sent + 1);
    assertThat(fin.getOutcome()).isEqualTo(TaskOutcome.TASK_OUTCOME_SUCCEEDED);
    assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo(expectedLines(LINES));
    Await.until("spill files deleted once read back", () -> spoolBytes() == 0);
    s.send(HubFrame.newBuilder().setFinishedAck(TaskFinishedAck.newBuilder().setTaskId("big-1")).build());
  }

  @Test
  void timeout_stillApplies_whileTheTaskIsHeldBack() throws Exception {
    FakeHub.Stream s = startAndWelcome(settings().withMaxSpoolBytes(0));
    // Writes forever: only the timeout can end it.
    assign(s, "loop-1", 5_000, "sh", "-c", "while :; do echo tick; done");
    assertThat(s.next().hasTaskAccepted()).isTrue();
    assertThat(s.next().hasTaskStarted()).isTrue();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long sent = collectUnacked(s, out);
    assertThat(sent).isPositive();

    clock.advance(Duration.ofSeconds(6)); // timeout: SIGTERM to the blocked process
    clock.advance(Duration.ofSeconds(1)); // past the kill grace
    s.send(HubFrame.newBuilder().setOutputAck(OutputAck.newBuilder().setTaskId("loop-1").setSeq(sent)).build());
    TaskFinished fin = ackUntilFinishedFrom(s, "loop-1", out, sent + 1);
    assertThat(fin.getOutcome()).isEqualTo(TaskOutcome.TASK_OUTCOME_TIMED_OUT);
    String text = out.toString(StandardCharsets.US_ASCII);
    assertThat(text.substring(0, text.lastIndexOf('\n') + 1).replace("tick\n", "")).isEmpty();
  }

  @Test
  void leftoverSpillFiles_ofAPreviousProcess_areRemovedAtStart() throws Exception {
    Path leftover = settings().spoolDir().resolve("old-task.out.0");
    Files.createDirectories(leftover.getParent());
    Files.write(leftover, new byte[4096]);
    startAndWelcome(settings());
    assertThat(leftover).doesNotExist();
    assertThat(settings().spoolDir()).isEmptyDirectory();
  }

  @Test
  void shutdown_whileATaskIsHeldBack_stopsIt_andDeletesItsSpillFiles() throws Exception {
    FakeHub.Stream s = startAndWelcome(settings());
    assign(s, "inf-1", 0, "sh", "-c", "while :; do echo tock; done");
    assertThat(s.next().hasTaskAccepted()).isTrue();
    Await.until("spool filled up to its budget", WAIT, () -> spoolBytes() > BUDGET - 70 * 1024);
    agent.shutdown().get(10, TimeUnit.SECONDS);
    assertThat(spoolBytes()).isZero();
  }

  /** Plays a hub that stores and acknowledges every chunk from {@code next} until TaskFinished. */
  static TaskFinished ackUntilFinishedFrom(FakeHub.Stream s, String id, ByteArrayOutputStream out, long next)
      throws Exception {
    long expected = next;
    while (true) {
      NodeFrame f = s.next(WAIT);
      if (f.hasTaskFinished()) {
        assertThat(f.getTaskFinished().getFinalSeq()).isEqualTo(expected - 1);
        return f.getTaskFinished();
      }
      if (!f.hasOutput()) {
        continue;
      }
      assertThat(f.getOutput().getSeq()).as("no gap, no duplicate").isEqualTo(expected);
      f.getOutput().getData().writeTo(out);
      s.send(HubFrame.newBuilder().setOutputAck(OutputAck.newBuilder().setTaskId(id).setSeq(expected)).build());
      expected++;
    }
  }
}
