package io.cortexhub.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortexhub.hub.connector.inbound.AuditCheckpointReport;
import io.cortexhub.hub.connector.inbound.AuditRecordsReport;
import io.cortexhub.hub.dispatch.TaskRequest;
import io.cortexhub.hub.dispatch.TaskView;
import io.cortexhub.hub.testing.FakeConnections.Recording;
import io.cortexhub.hub.testing.HubHarness;
import io.cortexhub.hub.testing.TestDatabase;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Checkpoints and audit queries travelling through the hub core. */
class NodeAuditTest {
  private final HubHarness hub = new HubHarness(TestDatabase.Kind.H2);

  @AfterEach
  void close() throws Exception {
    hub.close();
  }

  private static AuditCheckpointReport checkpoint(long size, int rootByte) {
    byte[] root = new byte[32];
    Arrays.fill(root, (byte) rootByte);
    return new AuditCheckpointReport(size, root, new byte[32], 1_000, new byte[] {1, 2},
        "SHA256withECDSA");
  }

  @Test
  void checkpoint_isStoredAndAcknowledged() {
    Recording n = hub.connect("n", 1);

    hub.core.onAuditCheckpoint(n, checkpoint(100, 7));

    assertThat(n.checkpointAcks).containsExactly(100L);
    assertThat(hub.core.audit().checkpoints(n.node())).singleElement()
        .satisfies(c -> assertThat(c.rootHash()[0]).isEqualTo((byte) 7));
  }

  @Test
  void checkpointOfARewrittenLog_isRefusedAndNotAcknowledged() {
    Recording n = hub.connect("n", 1);
    hub.core.onAuditCheckpoint(n, checkpoint(100, 7));

    hub.core.onAuditCheckpoint(n, checkpoint(100, 8));

    assertThat(n.checkpointAcks).containsExactly(100L);
    assertThat(hub.core.audit().checkpoints(n.node())).singleElement()
        .satisfies(c -> assertThat(c.rootHash()[0]).isEqualTo((byte) 7));
  }

  @Test
  void taskAudit_isFetchedFromTheNodeThatRanTheTask() throws Exception {
    Recording n = hub.connect("n", 1);
    TaskView t = hub.core.tasks().submit(TaskRequest.echo("hi", Map.of())).task();
    hub.commit();

    CompletableFuture<List<String>> records = hub.core.audit().taskRecords(t.id());
    assertThat(n.auditQueries).singleElement().asString().endsWith(" " + t.id().value());
    String queryId = n.auditQueries.get(0).split(" ")[0];
    hub.core.onAuditRecords(n.node(), new AuditRecordsReport(queryId,
        List.of("{\"type\":\"task.received\"}", "{\"type\":\"process.exited\"}"), true, ""));

    assertThat(records.get()).hasSize(2).first().asString().contains("task.received");
  }

  @Test
  void taskThatNeverReachedANode_hasNoAuditToFetch() {
    TaskView t = hub.core.tasks().submit(TaskRequest.echo("hi", Map.of())).task();
    hub.commit();

    assertThat(hub.core.audit().taskRecords(t.id())).isCompletedExceptionally();
  }
}
