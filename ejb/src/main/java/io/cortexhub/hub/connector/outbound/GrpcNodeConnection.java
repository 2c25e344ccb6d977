package io.cortexhub.hub.connector.outbound;

import com.google.protobuf.ByteString;
import io.cortexhub.hub.connector.api.NodeConnection;
import io.cortexhub.hub.connector.api.TaskEnvelope;
import io.cortexhub.hub.dispatch.TaskId;
import io.cortexhub.hub.registry.NodeId;
import io.cortexhub.proto.node.v1.AuditCheckpointAck;
import io.cortexhub.proto.node.v1.AuditQuery;
import io.cortexhub.proto.node.v1.Cancel;
import io.cortexhub.proto.node.v1.Drain;
import io.cortexhub.proto.node.v1.HubFrame;
import io.cortexhub.proto.node.v1.OutputAck;
import io.cortexhub.proto.node.v1.TaskAssignment;
import io.cortexhub.proto.node.v1.TaskFinishedAck;
import io.grpc.Status;
import java.time.Duration;
import java.util.Objects;

/** {@link NodeConnection} over one tunnel stream's {@link FrameQueue}. Thread-safe. */
public final class GrpcNodeConnection implements NodeConnection {
  private final NodeId node;
  private final String sessionId;
  private final FrameQueue frames;

  public GrpcNodeConnection(NodeId node, String sessionId, FrameQueue frames) {
    this.node = Objects.requireNonNull(node, "node");
    this.sessionId = Objects.requireNonNull(sessionId, "sessionId");
    this.frames = Objects.requireNonNull(frames, "frames");
  }

  @Override
  public NodeId node() {
    return node;
  }

  @Override
  public String sessionId() {
    return sessionId;
  }

  @Override
  public boolean isOpen() {
    return frames.isOpen();
  }

  @Override
  public boolean sendTask(TaskEnvelope e) {
    // ByteString.copyFrom: the spec bytes were serialized once and are sent unchanged.
    return frames.send(HubFrame.newBuilder().setAssignment(TaskAssignment.newBuilder()
        .setTask(ByteString.copyFrom(e.spec()))
        .setSignature(ByteString.copyFrom(e.signature()))
        .setKeyId(e.keyId())).build());
  }

  @Override
  public boolean cancel(TaskId task, Duration grace, String reason) {
    return frames.send(HubFrame.newBuilder().setCancel(Cancel.newBuilder()
        .setTaskId(task.value())
        .setGraceMs((int) Math.min(Integer.MAX_VALUE, grace.toMillis()))
        .setReason(reason)).build());
  }

  @Override
  public boolean ackOutput(TaskId task, long seq) {
    return frames.send(HubFrame.newBuilder()
        .setOutputAck(OutputAck.newBuilder().setTaskId(task.value()).setSeq(seq)).build());
  }

  @Override
  public boolean ackFinished(TaskId task) {
    return frames.send(HubFrame.newBuilder()
        .setFinishedAck(TaskFinishedAck.newBuilder().setTaskId(task.value())).build());
  }

  @Override
  public boolean queryAudit(String queryId, TaskId task) {
    return frames.send(HubFrame.newBuilder().setAuditQuery(AuditQuery.newBuilder()
        .setQueryId(queryId).setTaskId(task.value())).build());
  }

  @Override
  public boolean ackAuditCheckpoint(long treeSize) {
    return frames.send(HubFrame.newBuilder().setAuditCheckpointAck(
        AuditCheckpointAck.newBuilder().setTreeSize(treeSize)).build());
  }

  @Override
  public boolean drain(String reason) {
    return frames.send(HubFrame.newBuilder().setDrain(Drain.newBuilder().setReason(reason))
        .build());
  }

  @Override
  public void close(CloseReason reason, String detail) {
    Status status = switch (reason) {
      case REPLACED -> Status.ABORTED;
      case UNAVAILABLE -> Status.UNAVAILABLE;
      case PROTOCOL_VIOLATION -> Status.INVALID_ARGUMENT;
      case REVOKED -> Status.PERMISSION_DENIED;
    };
    frames.close(status.withDescription(detail));
  }

  @Override
  public String toString() {
    return "node " + node + " session " + sessionId;
  }
}
