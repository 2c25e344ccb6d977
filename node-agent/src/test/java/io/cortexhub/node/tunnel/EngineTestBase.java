package io.cortexhub.node.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cortexhub.node.audit.AuditLog;
import io.cortexhub.node.audit.AuditRecord;
import io.cortexhub.node.audit.KeyCheckpointSigner;
import io.cortexhub.node.consent.ConsentBroker;
import io.cortexhub.node.consent.ConsentClient;
import io.cortexhub.node.consent.ConsentSocketServer;
import io.cortexhub.node.fs.FsLimits;
import io.cortexhub.node.fs.FsRoot;
import io.cortexhub.node.fs.FsRunner;
import io.cortexhub.node.manifest.HostFacts;
import io.cortexhub.node.manifest.ManifestBuilder;
import io.cortexhub.node.policy.NodePolicy;
import io.cortexhub.node.sandbox.IsolationReport;
import io.cortexhub.node.sandbox.QuotaController;
import io.cortexhub.node.task.EchoRunner;
import io.cortexhub.node.task.ProcessTreeKiller;
import io.cortexhub.node.task.ShellRunner;
import io.cortexhub.node.task.TaskRunner;
import io.cortexhub.node.testing.Await;
import io.cortexhub.node.testing.FakeHub;
import io.cortexhub.node.testing.TestCa;
import io.cortexhub.node.verify.InMemoryReplayCache;
import io.cortexhub.proto.node.v1.FsPayload;
import io.cortexhub.proto.node.v1.ShellPayload;
import io.cortexhub.proto.node.v1.TaskSpec;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An agent with its whole execution engine, as {@code cortex-node run} wires it: a real shell runner
 * confined by the policy (real processes), a real fs runner, a real audit log signed with a node
 * key, a consent broker on the fake clock behind a real approvals socket, against the in-process
 * fake hub.
 */
abstract class EngineTestBase extends AgentTestBase {
  static final String REQUESTER = "alice@example.com";
  /** Long enough that advancing the fake clock through a consent timeout sends no heartbeat. */
  static final int QUIET_HEARTBEAT_MS = 3_600_000;

  final KeyPair nodeKeys = TestCa.ecKeys();
  Duration consentTimeout = Duration.ofMinutes(5);
  int checkpointEvery = 10_000;

  Path state;
  Path auditFile;
  Path socketPath;
  AuditLog auditLog;
  AuditLogTrail trail;
  ConsentBroker broker;
  ExecutorService io;

  /** Starts the agent with this policy, on a machine offering {@code isolation}. */
  NodeAgent startEngine(NodePolicy policy, IsolationReport isolation, Path... alsoProtected) throws Exception {
    state = Files.createDirectories(dir.resolve("state"));
    Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx------"));
    auditFile = state.resolve("audit.log");
    socketPath = state.resolve("consent.sock");
    io = grpc.register(Executors.newCachedThreadPool());
    CheckpointRelay relay = new CheckpointRelay();
    auditLog = AuditLog.open(auditFile, new KeyCheckpointSigner(nodeKeys.getPrivate()), checkpointEvery, clock, relay);
    trail = new AuditLogTrail(auditLog);
    grpc.onClose(trail::close);
    broker = new ConsentBroker(clock, clock.scheduler(), consentTimeout, new Random(5));
    ConsentSocketServer socket = new ConsentSocketServer(socketPath, broker, io);
    socket.start();
    grpc.onClose(socket::close);
    List<TaskRunner> runners = new ArrayList<>();
    runners.add(new EchoRunner(clock));
    runners.add(new ShellRunner(clock, clock.scheduler(), io, new Random(3), new ProcessTreeKiller(), policy, isolation,
        QuotaController.none()));
    if (!policy.workspaceRoots().isEmpty()) {
      runners.add(new FsRunner(policy.workspaceRoots().stream().map(r -> new FsRoot(r.path(), r.writable())).toList(),
          FsLimits.DEFAULTS, trail.fileChanges(), clock, io));
    }
    List<Path> protect = new ArrayList<>(List.of(state, auditFile, socketPath));
    protect.addAll(List.of(alsoProtected));
    TaskControls controls = TaskControls.enforcing(policy, isolation, broker, ProtectedPaths.of(protect), trail);

    ExecutorService pool = grpc.register(Executors.newFixedThreadPool(2));
    String name = InProcessServerBuilder.generateName();
    grpc.register(InProcessServerBuilder.forName(name).directExecutor().addService(hub).build().start());
    ManagedChannel channel = grpc.register(InProcessChannelBuilder.forName(name).build());
    AgentRuntime rt = new AgentRuntime(clock, clock.scheduler(), pool, pool, new Random(11), () -> 0.25);
    AgentSettings settings = settings();
    var manifest = ManifestBuilder.build(HostFacts.probe(), runners.stream().map(TaskRunner::capability).toList(),
        settings.labels(), settings.maxTasks(), policy, isolation.level());
    NodeSecurity security = new NodeSecurity(SIGNER.verifier(), new InMemoryReplayCache(clock), tokens::add);
    agent = new NodeAgent(settings, manifest, runners, channel, backoff, rt, metrics, security, controls);
    relay.forwardTo(agent.checkpointSink());
    grpc.onClose(() -> agent.shutdown().get(10, TimeUnit.SECONDS));
    agent.start();
    return agent;
  }

  /** Welcomed with a session token granting echo, shell and fs; heartbeats out of the way. */
  FakeHub.Stream welcomedQuietly() throws Exception {
    FakeHub.Stream s = hub.nextStream(WAIT);
    assertThat(s.next().hasHello()).isTrue();
    s.welcome(NODE_ID, QUIET_HEARTBEAT_MS);
    Await.until("welcomed", agent::isConnected);
    s.grant("echo", "shell", "fs");
    return s;
  }

  TaskSpec.Builder shell(String id, String... argv) {
    return signedFields(TaskSpec.newBuilder())
        .setTaskId(id)
        .setNodeId(NODE_ID)
        .setRequestedBy(REQUESTER)
        .setCapability("shell")
        .setShell(ShellPayload.newBuilder().addAllArgv(List.of(argv)));
  }

  TaskSpec.Builder fs(String id, FsPayload op) {
    return signedFields(TaskSpec.newBuilder())
        .setTaskId(id)
        .setNodeId(NODE_ID)
        .setRequestedBy(REQUESTER)
        .setCapability("fs")
        .setFs(op);
  }

  static ByteString utf8(String s) {
    return ByteString.copyFromUtf8(s);
  }

  ConsentClient owner() {
    return new ConsentClient(socketPath);
  }

  /** The pending request's id, once the broker holds one for the task. */
  String pendingId(String taskId) {
    Await.until("consent request for " + taskId, () -> broker.pendingFor(taskId).isPresent());
    return broker.pendingFor(taskId).orElseThrow().id();
  }

  /** The task's audit records, parsed, after everything queued so far is written. */
  List<AuditRecord> records(String taskId) {
    try {
      return trail.recordsForTask(taskId).get(10, TimeUnit.SECONDS).stream().map(AuditRecord::parse).toList();
    } catch (Exception e) {
      throw new AssertionError("cannot read the audit records of " + taskId, e);
    }
  }

  List<String> types(String taskId) {
    return records(taskId).stream().map(AuditRecord::type).toList();
  }

  /** Waits until the task's records end with {@code lastType}, then returns them. */
  List<AuditRecord> recordsEndingWith(String taskId, String lastType) {
    Await.until(taskId + " audited up to " + lastType, () -> {
      List<String> t = types(taskId);
      return !t.isEmpty() && t.get(t.size() - 1).equals(lastType);
    });
    return records(taskId);
  }

  static AuditRecord only(List<AuditRecord> records, String type) {
    List<AuditRecord> found = records.stream().filter(r -> r.type().equals(type)).toList();
    assertThat(found).as("records of type " + type + " in " + records).hasSize(1);
    return found.get(0);
  }

  static Map<String, Object> fields(List<AuditRecord> records, String type) {
    return only(records, type).fields();
  }

}
