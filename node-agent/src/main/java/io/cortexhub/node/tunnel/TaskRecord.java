package io.cortexhub.node.tunnel;

import io.cortexhub.node.logging.AgentLog;
import io.cortexhub.node.output.OutputBuffer;
import io.cortexhub.node.task.RunningTask;
import io.cortexhub.proto.node.v1.NodeFrame;
import io.cortexhub.proto.node.v1.TaskResumeState;
import io.cortexhub.proto.node.v1.TaskSpec;
import java.util.Optional;

/**
 * Everything the node holds about one accepted task until the hub acknowledges its end.
 *
 * <p>Confined to the node's serial executor, except {@link #buffer}, which producers append to
 * from their own threads.
 */
final class TaskRecord {
  final TaskSpec spec;
  final OutputBuffer buffer;
  final AgentLog log;
  RunningTask running = RunningTask.DONE;

  private NodeFrame startedFrame;
  private NodeFrame finishedFrame;
  private long finalSeq;
  /** Next seq to send on the current session. */
  private long cursor = 1;
  private boolean startedSent;
  private boolean finishedSent;
  /**
   * After a reconnect, hold this task's frames until the hub says how much it stored (OutputAck),
   * so nothing is sent twice. Released by any frame about the task or the session's first tick.
   */
  private boolean awaitingResumeAck;
  /** While the owner is asked: the task holds its slot and sends nothing. */
  private boolean awaitingConsent;
  /** TaskAccepted once the owner said yes: sent at most once, ahead of TaskStarted. */
  private NodeFrame lateAccepted;
  private boolean lateAcceptedSent;
  /** TaskRejected once consent was refused: the record's only and last frame. */
  private NodeFrame refusal;
  private boolean refusalSent;

  TaskRecord(TaskSpec spec, OutputBuffer buffer, AgentLog log) {
    this.spec = spec;
    this.buffer = buffer;
    this.log = log;
  }

  String id() {
    return spec.getTaskId();
  }

  boolean isFinished() {
    return finishedFrame != null;
  }

  /** The task holds its slot until the owner answers; nothing is sent for it meanwhile. */
  void awaitConsent() {
    awaitingConsent = true;
  }

  boolean isAwaitingConsent() {
    return awaitingConsent;
  }

  /** The owner said yes: {@code accepted} goes out first, then the task's frames as usual. */
  void consentGiven(NodeFrame accepted) {
    awaitingConsent = false;
    lateAccepted = accepted;
  }

  /** The task will not run: {@code rejection} is all the hub hears, then the record is forgotten. */
  void refused(NodeFrame rejection) {
    awaitingConsent = false;
    refusal = rejection;
  }

  /** Whether the refusal has been handed to a stream, so the record can go. */
  boolean refusalSent() {
    return refusalSent;
  }

  void started(NodeFrame frame) {
    if (startedFrame == null) {
      startedFrame = frame;
    }
  }

  /** @param finalSeq the number of chunks produced, read after the last output was appended */
  void finished(NodeFrame frame, long finalSeq) {
    this.awaitingConsent = false;
    this.finishedFrame = frame;
    this.finalSeq = finalSeq;
  }

  void acked(long seq) {
    awaitingResumeAck = false;
    buffer.ack(seq);
    cursor = Math.max(cursor, seq + 1);
  }

  /** A new stream: everything unacknowledged is sent again, in order. */
  void rewind() {
    awaitingResumeAck = true;
    cursor = buffer.ackedSeq() + 1;
    startedSent = false;
    finishedSent = false;
  }

  TaskResumeState resumeState() {
    return TaskResumeState.newBuilder()
        .setTaskId(id())
        .setAckedSeq(buffer.ackedSeq())
        .setProducedSeq(buffer.producedSeq())
        .setFinished(isFinished())
        .build();
  }

  /**
   * The next frame this task has to send: TaskStarted, then its chunks in seq order, then
   * TaskFinished once every chunk has been sent.
   */
  void resumeWithoutAck() {
    awaitingResumeAck = false;
  }

  Optional<NodeFrame> nextFrame() {
    if (awaitingResumeAck) {
      return Optional.empty();
    }
    if (refusal != null) {
      if (refusalSent) {
        return Optional.empty();
      }
      refusalSent = true;
      return Optional.of(refusal);
    }
    if (awaitingConsent) {
      return Optional.empty();
    }
    if (lateAccepted != null && !lateAcceptedSent) {
      lateAcceptedSent = true; // at most once: TaskStarted tells a hub that missed it
      return Optional.of(lateAccepted);
    }
    if (startedFrame != null && !startedSent) {
      startedSent = true;
      return Optional.of(startedFrame);
    }
    if (startedFrame == null && finishedFrame == null) {
      return Optional.empty();
    }
    if (cursor <= buffer.ackedSeq()) {
      cursor = buffer.ackedSeq() + 1;
    }
    Optional<NodeFrame> chunk = buffer.chunk(cursor);
    if (chunk.isPresent()) {
      cursor++;
      return chunk;
    }
    if (finishedFrame != null && !finishedSent && cursor > finalSeq) {
      finishedSent = true;
      return Optional.of(finishedFrame);
    }
    return Optional.empty();
  }
}
