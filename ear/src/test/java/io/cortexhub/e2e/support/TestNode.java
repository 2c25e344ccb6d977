package io.cortexhub.e2e.support;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.cortexhub.proto.node.v1.Capability;
import io.cortexhub.proto.node.v1.Heartbeat;
import io.cortexhub.proto.node.v1.Hello;
import io.cortexhub.proto.node.v1.HubFrame;
import io.cortexhub.proto.node.v1.Manifest;
import io.cortexhub.proto.node.v1.NodeFrame;
import io.cortexhub.proto.node.v1.OutputChunk;
import io.cortexhub.proto.node.v1.OutputStream;
import io.cortexhub.proto.node.v1.TaskAccepted;
import io.cortexhub.proto.node.v1.TaskAssignment;
import io.cortexhub.proto.node.v1.TaskFinished;
import io.cortexhub.proto.node.v1.TaskOutcome;
import io.cortexhub.proto.node.v1.TaskSpec;
import io.cortexhub.proto.node.v1.TaskStarted;
import io.cortexhub.proto.node.v1.Welcome;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal node speaking the tunnel protocol from the test JVM: it enrolls through the hub's Enroll RPC
 * (see {@link TunnelIdentity}), connects over mutual TLS as that identity, says Hello offering {@code
 * echo}, and answers every echo assignment with accepted, started, one stdout chunk carrying the message
 * and a successful finish. It keeps every assignment it received, so tests can check their signatures.
 *
 * <p>Unlike {@link NodeProcess} it runs in the test JVM, so a test against a hub it did not start
 * (Arquillian's Payara Micro) needs no node-agent jar. Everything it sends goes through one {@link
 * StreamObserver}, guarded by {@code this} because gRPC observers are not thread-safe.
 */
public final class TestNode implements AutoCloseable {

  private final RawTunnelClient tunnel;
  private final StreamObserver<NodeFrame> toHub;
  private final CompletableFuture<Welcome> welcome = new CompletableFuture<>();
  private final CompletableFuture<Throwable> ended = new CompletableFuture<>();
  private final List<TaskAssignment> assignments = new CopyOnWriteArrayList<>();

  private final Optional<TunnelIdentity> identity;

  private TestNode(RawTunnelClient tunnel, String name, Optional<TunnelIdentity> identity) {
    this.tunnel = tunnel;
    this.identity = identity;
    this.toHub = tunnel.connect(new FromHub());
    send(NodeFrame.newBuilder().setHello(Hello.newBuilder()
        .setProtocolVersion(1)
        .setNodeName(name)
        .setInstanceId(UUID.randomUUID().toString())
        .setManifest(Manifest.newBuilder()
            .setAgentVersion("it")
            .setOsName(System.getProperty("os.name"))
            .setArch(System.getProperty("os.arch"))
            .setCpus(1)
            .setJvm(System.getProperty("java.vm.name"))
            .setHostname("localhost")
            .setIsolation("none")
            .setMaxConcurrentTasks(2)
            .putLabels("it-node", name)
            .addCapabilities(Capability.newBuilder().setName("echo").setVersion("1"))))
        .build());
  }

  /** Says Hello as {@code name} over {@code tunnel} (which must present an enrolled identity). */
  public static TestNode connect(RawTunnelClient tunnel, String name) {
    return new TestNode(tunnel, name, Optional.empty());
  }

  /**
   * Enrolls a new identity in the default workspace with a join token {@code admin} creates, then connects
   * to the tunnel at {@code host:port} as it, trusting the CA bundle file {@code caBundle}.
   */
  public static TestNode enroll(HubClient admin, String host, int port, Path caBundle, String name) {
    String token = admin.createJoinToken("default", java.util.Map.of(), 1).token();
    TunnelIdentity identity = TunnelIdentity.enroll(host, port, caBundle, token, name);
    return new TestNode(new RawTunnelClient(host, port, identity.sslContext()), name, Optional.of(identity));
  }

  /** The identity it enrolled, when {@link #enroll} made it. */
  public Optional<TunnelIdentity> identity() {
    return identity;
  }

  /** Every assignment the hub sent, in order. */
  public List<TaskAssignment> assignments() {
    return List.copyOf(assignments);
  }

  /** Completes with the hub's Welcome. */
  public CompletableFuture<Welcome> welcome() {
    return welcome;
  }

  /** Completes when the hub ends the stream, with its error (or null on a clean end). */
  public CompletableFuture<Throwable> ended() {
    return ended;
  }

  public void heartbeat() {
    send(NodeFrame.newBuilder().setHeartbeat(Heartbeat.newBuilder()
        .setSentAtUnixMs(System.currentTimeMillis()).setFreeSlots(2).setLoadAverage(-1)).build());
  }

  private synchronized void send(NodeFrame frame) {
    toHub.onNext(frame);
  }

  private void run(TaskSpec task) {
    long now = System.currentTimeMillis();
    String id = task.getTaskId();
    send(NodeFrame.newBuilder().setTaskAccepted(TaskAccepted.newBuilder().setTaskId(id)).build());
    send(NodeFrame.newBuilder().setTaskStarted(
        TaskStarted.newBuilder().setTaskId(id).setStartedAtUnixMs(now)).build());
    ByteString message = task.getEcho().getMessage();
    send(NodeFrame.newBuilder().setOutput(OutputChunk.newBuilder().setTaskId(id)
        .setStream(OutputStream.OUTPUT_STREAM_STDOUT).setSeq(1).setData(message)
        .setProducedAtUnixMs(now)).build());
    send(NodeFrame.newBuilder().setTaskFinished(TaskFinished.newBuilder().setTaskId(id)
        .setOutcome(TaskOutcome.TASK_OUTCOME_SUCCEEDED).setExitCode(0).setHasExitCode(true)
        .setFinalSeq(1).setStartedAtUnixMs(now).setFinishedAtUnixMs(now)).build());
  }

  @Override
  public void close() {
    try {
      synchronized (this) {
        toHub.onCompleted();
      }
    } catch (IllegalStateException alreadyEnded) {
      // the hub ended the call first; nothing left to half-close
    } finally {
      tunnel.close();
    }
  }

  private final class FromHub implements StreamObserver<HubFrame> {
    @Override
    public void onNext(HubFrame frame) {
      switch (frame.getKindCase()) {
        case WELCOME -> welcome.complete(frame.getWelcome());
        case ASSIGNMENT -> {
          assignments.add(frame.getAssignment());
          try {
            run(TaskSpec.parseFrom(frame.getAssignment().getTask()));
          } catch (InvalidProtocolBufferException e) {
            ended.complete(e);
          }
        }
        default -> {
          // Acks, heartbeats acks and cancels need no answer from this node.
        }
      }
    }

    @Override
    public void onError(Throwable error) {
      welcome.completeExceptionally(error);
      ended.complete(error);
    }

    @Override
    public void onCompleted() {
      ended.complete(null);
    }
  }
}
