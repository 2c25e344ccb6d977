package io.cortexhub.hub.connector.inbound;

import io.cortexhub.hub.connector.api.NodeConnection;
import io.cortexhub.hub.registry.NodeId;
import java.util.List;

/**
 * Receives everything nodes say, in the manner of a JCA message endpoint. The tunnel calls it;
 * the hub's registry, dispatch and output implement it.
 *
 * <p>Calls for one session arrive in stream order and never concurrently; calls for different
 * sessions may be concurrent, so implementations are thread-safe. They must not block for long
 * (a blocked call stalls only its own node's stream, because inbound flow control requests the
 * next frame only after the call returns).
 */
public interface NodeMessageListener {

  /**
   * A node said Hello. Registers or updates the node and returns its hub id.
   *
   * @throws NodeRefusedException to end the stream with a reason
   */
  NodeId onHello(NodeHello hello);

  /**
   * The session is open: Welcome is queued and {@code connection} is the node's current one.
   * Implementations answer the resume list here and may start routing tasks to the node.
   */
  void onSessionOpened(NodeConnection connection, List<ResumeEntry> resume);

  void onHeartbeat(NodeId node, HeartbeatReport report);

  void onTaskAccepted(NodeId node, String taskId);

  void onTaskRejected(NodeId node, TaskRejection rejection);

  void onTaskStarted(NodeId node, TaskStartReport started);

  /** One or more output chunks of any tasks of this node, in the order received. */
  void onOutput(NodeId node, List<OutputChunkEvent> chunks);

  void onTaskFinished(NodeId node, TaskFinishReport finished);

  /** The session ended (node left, stream broke, hub refused or replaced it). */
  void onSessionClosed(NodeId node, String sessionId, String reason);

  /** The node holds a task until its owner approves or denies it. */
  void onTaskAwaitingConsent(NodeId node, ConsentRequestReport request);

  /**
   * A signed checkpoint of the node's audit log arrived (its signature already checked against
   * the node's certificate by the tunnel). Implementations store it and acknowledge it.
   */
  void onAuditCheckpoint(NodeConnection connection, AuditCheckpointReport checkpoint);

  /** Part of the node's answer to an audit query. */
  void onAuditRecords(NodeId node, AuditRecordsReport records);
}
