package io.cortexhub.hub.tunnel;

import io.cortexhub.hub.connector.api.NodeConnection;
import io.cortexhub.hub.connector.inbound.AuditCheckpointReport;
import io.cortexhub.hub.connector.inbound.AuditRecordsReport;
import io.cortexhub.hub.connector.inbound.ConsentRequestReport;
import io.cortexhub.hub.connector.inbound.HeartbeatReport;
import io.cortexhub.hub.connector.inbound.NodeHello;
import io.cortexhub.hub.connector.inbound.NodeMessageListener;
import io.cortexhub.hub.connector.inbound.OutputChunkEvent;
import io.cortexhub.hub.connector.inbound.ResumeEntry;
import io.cortexhub.hub.connector.inbound.TaskFinishReport;
import io.cortexhub.hub.connector.inbound.TaskRejection;
import io.cortexhub.hub.connector.inbound.TaskStartReport;
import io.cortexhub.hub.registry.NodeId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link NodeMessageListener} that records every event as a line of text. Thread-safe. */
final class RecordingListener implements NodeMessageListener {
  final List<String> events = new CopyOnWriteArrayList<>();
  final List<NodeConnection> opened = new CopyOnWriteArrayList<>();

  @Override
  public NodeId onHello(NodeHello hello) {
    events.add("hello " + hello.name());
    return new NodeId("id-" + hello.name());
  }

  @Override
  public void onSessionOpened(NodeConnection connection, List<ResumeEntry> resume) {
    opened.add(connection);
    events.add("opened " + connection.node() + " resume=" + resume.size());
  }

  @Override
  public void onHeartbeat(NodeId node, HeartbeatReport report) {
    events.add("heartbeat " + node);
  }

  @Override
  public void onTaskAccepted(NodeId node, String taskId) {
    events.add("accepted " + taskId);
  }

  @Override
  public void onTaskRejected(NodeId node, TaskRejection rejection) {
    events.add("rejected " + rejection.taskId() + " " + rejection.reason());
  }

  @Override
  public void onTaskStarted(NodeId node, TaskStartReport started) {
    events.add("started " + started.taskId());
  }

  @Override
  public void onOutput(NodeId node, List<OutputChunkEvent> chunks) {
    chunks.forEach(c -> events.add("output " + c.taskId() + "#" + c.seq()));
  }

  @Override
  public void onTaskFinished(NodeId node, TaskFinishReport finished) {
    events.add("finished " + finished.taskId() + " " + finished.outcome());
  }

  @Override
  public void onSessionClosed(NodeId node, String sessionId, String reason) {
    events.add("closed " + node + " " + sessionId);
  }

  @Override
  public void onTaskAwaitingConsent(NodeId node, ConsentRequestReport request) {
    events.add("awaiting-consent " + request.taskId());
  }

  @Override
  public void onAuditCheckpoint(NodeConnection connection, AuditCheckpointReport checkpoint) {
    events.add("checkpoint " + checkpoint.treeSize());
  }

  @Override
  public void onAuditRecords(NodeId node, AuditRecordsReport records) {
    events.add("audit-records " + records.queryId() + " " + records.records().size());
  }
}
