package io.cortexhub.node.tunnel;

import com.google.protobuf.ByteString;
import io.cortexhub.node.audit.Checkpoint;
import io.cortexhub.node.logging.AgentLog;
import io.cortexhub.proto.node.v1.AuditCheckpoint;
import io.cortexhub.proto.node.v1.AuditCheckpointAck;
import io.cortexhub.proto.node.v1.AuditQuery;
import io.cortexhub.proto.node.v1.AuditRecords;
import io.cortexhub.proto.node.v1.NodeFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The node's half of the audit conversation with the hub: every checkpoint the log writes goes to
 * the hub as {@code AuditCheckpoint}, and the newest one the hub has not acknowledged ({@code
 * AuditCheckpointAck}) is sent again after every Welcome, so a checkpoint written while the hub was
 * away, or before an agent restart, still reaches it. {@code AuditQuery} is answered with the
 * task's records in {@code AuditRecords} frames of at most {@link #MAX_CHUNK_BYTES} of records
 * each, the last with {@code last = true} (and an {@code error} instead when the log cannot be
 * read).
 *
 * <p>Confined to the node's serial executor; {@link #checkpointWritten} and query answers arrive
 * from the audit writer's thread and hop onto it.
 */
final class AuditExchange {
  /** Bytes of record text per AuditRecords frame, well under any frame limit a hub sets. */
  static final int MAX_CHUNK_BYTES = 1 << 20;

  private final AuditTrail audit;
  private final Executor loop;
  private final Consumer<NodeFrame> sendNow;
  private final AgentLog log;
  private Checkpoint unacknowledged;

  /** @param sendNow sends on the current session if one is open (else drops) */
  AuditExchange(AuditTrail audit, Executor loop, Consumer<NodeFrame> sendNow, AgentLog log) {
    this.audit = Objects.requireNonNull(audit, "audit");
    this.loop = Objects.requireNonNull(loop, "loop");
    this.sendNow = Objects.requireNonNull(sendNow, "sendNow");
    this.log = Objects.requireNonNull(log, "log");
    // The hub may never have received the last checkpoint of the previous run (written on close).
    this.unacknowledged = audit.latestCheckpoint().orElse(null);
  }

  /** Called by the audit log (any thread) once a checkpoint is on disk. */
  void checkpointWritten(Checkpoint c) {
    loop.execute(
        () -> {
          if (unacknowledged == null || c.treeSize() >= unacknowledged.treeSize()) {
            unacknowledged = c;
          }
          sendNow.accept(frame(c));
        });
  }

  /** A session was welcomed: the hub gets the newest checkpoint it has not acknowledged. */
  void onWelcome() {
    if (unacknowledged != null) {
      sendNow.accept(frame(unacknowledged));
    }
  }

  void onAck(AuditCheckpointAck ack) {
    if (unacknowledged != null && ack.getTreeSize() >= unacknowledged.treeSize()) {
      unacknowledged = null;
    }
  }

  void onQuery(AuditQuery q) {
    if (q.getTaskId().isEmpty()) {
      log.info("refused an audit query without a task id (query " + q.getQueryId() + ")");
      sendNow.accept(failure(q.getQueryId(), "task_id is required"));
      return;
    }
    audit
        .recordsForTask(q.getTaskId())
        .whenComplete((lines, error) -> loop.execute(() -> answer(q, lines, error)));
  }

  private void answer(AuditQuery q, List<String> lines, Throwable error) {
    if (error != null) {
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      log.warn("cannot answer audit query " + q.getQueryId() + " for task " + q.getTaskId() + ": " + cause.getMessage());
      sendNow.accept(failure(q.getQueryId(), "cannot read the node's audit log: " + cause.getMessage()));
      return;
    }
    for (AuditRecords r : chunks(q.getQueryId(), lines, MAX_CHUNK_BYTES)) {
      sendNow.accept(NodeFrame.newBuilder().setAuditRecords(r).build());
    }
  }

  /**
   * Splits records into frames of at most {@code maxBytes} of record text (a single larger record
   * gets a frame of its own); always at least one frame, the last marked {@code last}.
   */
  static List<AuditRecords> chunks(String queryId, List<String> lines, int maxBytes) {
    List<AuditRecords> out = new ArrayList<>();
    AuditRecords.Builder current = AuditRecords.newBuilder().setQueryId(queryId);
    long size = 0;
    for (String line : lines) {
      // Protobuf adds a tag and a length prefix per string: a few bytes, counted generously.
      long n = line.getBytes(StandardCharsets.UTF_8).length + 8L;
      if (current.getRecordsCount() > 0 && size + n > maxBytes) {
        out.add(current.build());
        current = AuditRecords.newBuilder().setQueryId(queryId);
        size = 0;
      }
      current.addRecords(line);
      size += n;
    }
    out.add(current.setLast(true).build());
    return out;
  }

  private static NodeFrame failure(String queryId, String error) {
    return NodeFrame.newBuilder()
        .setAuditRecords(AuditRecords.newBuilder().setQueryId(queryId).setLast(true).setError(error))
        .build();
  }

  static NodeFrame frame(Checkpoint c) {
    return NodeFrame.newBuilder()
        .setAuditCheckpoint(
            AuditCheckpoint.newBuilder()
                .setTreeSize(c.treeSize())
                .setRootHash(ByteString.copyFrom(c.rootHash()))
                .setLastRecordHash(ByteString.copyFrom(c.lastRecordHash()))
                .setCreatedAtUnixMs(c.createdAtUnixMs())
                .setSignature(ByteString.copyFrom(c.signature()))
                .setSignatureAlgorithm(c.algorithm()))
        .build();
  }
}
