package io.cortexhub.hub.connector.api;

import io.cortexhub.hub.dispatch.TaskId;
import io.cortexhub.hub.registry.NodeId;
import java.time.Duration;

/**
 * One open session to one node: the outbound half of the connector.
 *
 * <p>Every method only enqueues a frame on the node's bounded send queue and returns at once; a
 * slow node never blocks the caller. A method returns {@code false} when the frame could not be
 * queued (session closed, or the queue overflowed, which closes the session so that the node
 * reconnects and resumes). Thread-safe.
 */
public interface NodeConnection {

  NodeId node();

  /** Id of the tunnel session behind this connection; a reconnect gets a new one. */
  String sessionId();

  boolean isOpen();

  /** Sends a task exactly as the envelope holds it (the bytes are never re-serialized). */
  boolean sendTask(TaskEnvelope envelope);

  /** Asks the node to stop a task: SIGTERM now, SIGKILL after {@code grace}. */
  boolean cancel(TaskId task, Duration grace, String reason);

  /** Tells the node that every output chunk of the task up to {@code seq} is stored. */
  boolean ackOutput(TaskId task, long seq);

  /** Tells the node that the task's TaskFinished is recorded, so it may forget the task. */
  boolean ackFinished(TaskId task);

  /** Asks the node for its audit records of a task; the answer arrives as AuditRecords. */
  boolean queryAudit(String queryId, TaskId task);

  /** Tells the node that its audit checkpoint of {@code treeSize} records is stored. */
  boolean ackAuditCheckpoint(long treeSize);

  /** Asks the node to take no new tasks and leave once its running tasks are done. */
  boolean drain(String reason);

  /** Ends the session; the node sees a status derived from {@code reason}. Idempotent. */
  void close(CloseReason reason, String detail);

  /** Why the hub ends a session. */
  enum CloseReason {
    /** The same node connected again; the newer session wins. */
    REPLACED,
    /** The hub is shutting down, or the node fell silent; the node should reconnect. */
    UNAVAILABLE,
    /** The node broke the protocol. */
    PROTOCOL_VIOLATION,
    /** An admin revoked the node: it must not reconnect (PERMISSION_DENIED). */
    REVOKED
  }
}
