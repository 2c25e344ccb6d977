package io.cortexhub.node.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cortexhub.node.manifest.HostFacts;
import io.cortexhub.node.manifest.ManifestBuilder;
import io.cortexhub.node.task.EchoRunner;
import io.cortexhub.node.testing.Await;
import io.cortexhub.node.testing.FakeClock;
import io.cortexhub.node.testing.FakeHub;
import io.cortexhub.node.testing.GrpcCleanup;
import io.cortexhub.node.testing.TestTaskSigner;
import io.cortexhub.node.verify.InMemoryReplayCache;
import io.cortexhub.proto.node.v1.EchoPayload;
import io.cortexhub.proto.node.v1.HubFrame;
import io.cortexhub.proto.node.v1.NodeFrame;
import io.cortexhub.proto.node.v1.RejectReason;
import io.cortexhub.proto.node.v1.SessionToken;
import io.cortexhub.proto.node.v1.ShellPayload;
import io.cortexhub.proto.node.v1.TaskFinishedAck;
import io.cortexhub.proto.node.v1.TaskSpec;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Shared set-up of the agent tests: an in-process fake hub, a fake clock and the hub's signing key. */
abstract class AgentTestBase {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final String NODE_ID = "node-1";

  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();
  @TempDir Path dir;

  final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
  final FakeHub hub = new FakeHub();
  final HoldingRunner shell = new HoldingRunner();
  final FixedBackoff backoff = new FixedBackoff(Duration.ofSeconds(1));
  final AgentMetrics metrics = new AgentMetrics();
  static final TestTaskSigner SIGNER = TestTaskSigner.create();
  static final java.util.Random NONCES = new java.util.Random(17);
  final List<SessionToken> tokens = new java.util.concurrent.CopyOnWriteArrayList<>();
  NodeAgent agent;

  AgentSettings settings() {
    return AgentSettings.defaults("edge-1", dir).withLabels(Map.of("zone", "eu")).withMaxTasks(2);
  }

  NodeAgent start(AgentSettings settings) throws Exception {
    return start(settings, new NodeSecurity(SIGNER.verifier(), new InMemoryReplayCache(clock), tokens::add));
  }

  NodeAgent start(AgentSettings settings, NodeSecurity security) throws Exception {
    // Registered first so it is shut down last, after the streams' final callbacks.
    ExecutorService pool = grpc.register(Executors.newFixedThreadPool(2));
    String name = InProcessServerBuilder.generateName();
    grpc.register(InProcessServerBuilder.forName(name).directExecutor().addService(hub).build().start());
    ManagedChannel channel = grpc.register(InProcessChannelBuilder.forName(name).build());
    AgentRuntime rt = new AgentRuntime(clock, clock.scheduler(), pool, pool, new Random(11), () -> 0.25);
    var manifest =
        ManifestBuilder.build(HostFacts.probe(), List.of("echo", "shell"), settings.labels(), settings.maxTasks());
    agent = new NodeAgent(settings, manifest, List.of(new EchoRunner(clock), shell), channel, backoff, rt, metrics, security);
    grpc.onClose(() -> agent.shutdown().get(5, TimeUnit.SECONDS));
    agent.start();
    return agent;
  }

  /** Welcomed, with a session token granting echo and shell (as the hub sends right after Welcome). */
  FakeHub.Stream welcomed() throws Exception {
    FakeHub.Stream s = welcomedWithoutToken();
    s.grant("echo", "shell");
    return s;
  }

  FakeHub.Stream welcomedWithoutToken() throws Exception {
    FakeHub.Stream s = hub.nextStream(WAIT);
    assertThat(s.next().hasHello()).isTrue();
    s.welcome(NODE_ID, 1000);
    Await.until("welcomed", agent::isConnected);
    return s;
  }

  static ByteString nonce() {
    byte[] n = new byte[16];
    NONCES.nextBytes(n);
    return ByteString.copyFrom(n);
  }

  TaskSpec.Builder signedFields(TaskSpec.Builder b) {
    return b.setIssuedAtUnixMs(clock.millis()).setNotAfterUnixMs(clock.millis() + 60_000).setNonce(nonce());
  }

  TaskSpec.Builder echo(String id, String message) {
    return signedFields(TaskSpec.newBuilder())
        .setTaskId(id)
        .setNodeId(NODE_ID)
        .setCapability("echo")
        .setEcho(EchoPayload.newBuilder().setMessage(ByteString.copyFromUtf8(message)));
  }

  TaskSpec.Builder shellTask(String id) {
    return signedFields(TaskSpec.newBuilder())
        .setTaskId(id)
        .setNodeId(NODE_ID)
        .setCapability("shell")
        .setShell(ShellPayload.newBuilder().addArgv("make").addArgv("all"));
  }

  /** Sends the task signed by the hub's key, as every real assignment is. */
  static void assign(FakeHub.Stream s, TaskSpec.Builder spec) {
    assign(s, spec.build().toByteString());
  }

  static void assign(FakeHub.Stream s, ByteString bytes) {
    s.assign(SIGNER.assignment(bytes));
  }

  static void finishedAck(FakeHub.Stream s, String taskId) {
    s.send(HubFrame.newBuilder().setFinishedAck(TaskFinishedAck.newBuilder().setTaskId(taskId)).build());
  }

  /** The n-th retry is on the fake scheduler (and is the only timer left). */
  void awaitRetryScheduled(int n) {
    Await.until("retry " + n + " scheduled", () -> backoff.delays.get() == n && clock.pending() == 1);
  }

  HoldingRunner.Held held(String taskId) {
    Await.until("task " + taskId + " started", () -> shell.tasks.containsKey(taskId));
    return shell.tasks.get(taskId);
  }

  static void assertRejected(FakeHub.Stream s, String taskId, RejectReason reason) throws Exception {
    NodeFrame f = s.nextMatching(NodeFrame::hasTaskRejected);
    assertThat(f.getTaskRejected().getTaskId()).isEqualTo(taskId);
    assertThat(f.getTaskRejected().getReason()).isEqualTo(reason);
    assertThat(f.getTaskRejected().getDetail()).isNotBlank();
  }
}
