package io.cortexhub.hub.dispatch;

import com.google.protobuf.ByteString;
import io.cortexhub.hub.connector.api.TaskEnvelope;
import io.cortexhub.hub.registry.NodeId;
import io.cortexhub.hub.signing.TaskSigner;
import io.cortexhub.proto.node.v1.EchoPayload;
import io.cortexhub.proto.node.v1.ShellPayload;
import io.cortexhub.proto.node.v1.TaskSpec;
import io.cortexhub.proto.node.v1.TraceContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Random;

/**
 * Builds the TaskSpec a node receives, serializes it exactly once and signs exactly those bytes:
 * they are what travels, so they are never re-encoded. Thread-safe if the
 * random source is (SecureRandom is).
 */
public final class TaskSpecFactory {
  private final Clock clock;
  private final Random random;
  private final Duration validity;
  private final TaskSigner signer;

  public TaskSpecFactory(Clock clock, Random random, Duration validity, TaskSigner signer) {
    this.signer = Objects.requireNonNull(signer, "signer");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
    this.validity = Objects.requireNonNull(validity, "validity");
  }

  public TaskEnvelope envelope(TaskRecord task, NodeId node) {
    Instant issued = clock.instant();
    byte[] nonce = new byte[16];
    random.nextBytes(nonce);
    TaskSpec.Builder b = TaskSpec.newBuilder()
        .setTaskId(task.id().value())
        .setNodeId(node.value())
        .setWorkspace(task.workspace())
        .setRequestedBy(task.requestedBy())
        .setIssuedAtUnixMs(issued.toEpochMilli())
        .setNotAfterUnixMs(issued.plus(validity).toEpochMilli())
        .setNonce(ByteString.copyFrom(nonce))
        .setCapability(task.capability())
        .setTrace(TraceContext.newBuilder().setTraceparent(task.traceparent()))
        .setTimeoutMs(clampMillis(task.timeout()))
        .setKillGraceMs(clampMillis(task.killGrace()));
    switch (task.kind()) {
      case ECHO -> b.setEcho(EchoPayload.newBuilder()
          .setMessage(ByteString.copyFrom(task.echoMessage(), StandardCharsets.UTF_8)));
      case SHELL -> b.setShell(ShellPayload.newBuilder()
          .addAllArgv(task.argv())
          .putAllEnv(task.env())
          .setWorkingDir(task.workingDir()));
      case FS -> b.setFs(task.fs().orElseThrow(
          () -> new IllegalStateException("fs task " + task.id() + " has no file operation")).payload());
    }
    return signer.sign(task.id(), b.build().toByteArray());
  }

  private static int clampMillis(Duration d) {
    // uint32 on the wire; Java's int holds the same bits for values up to 2^31-1 ms (~24 days).
    return (int) Math.min(Integer.MAX_VALUE, Math.max(0, d.toMillis()));
  }
}
