package io.cortexhub.hub.testing;

import io.cortexhub.hub.config.HubSettings;
import io.cortexhub.hub.connector.inbound.NodeHello;
import io.cortexhub.hub.connector.inbound.OutputChunkEvent;
import io.cortexhub.hub.connector.inbound.ResumeEntry;
import io.cortexhub.hub.connector.inbound.TaskFinishReport;
import io.cortexhub.hub.dispatch.TaskId;
import io.cortexhub.hub.output.OutputStreamKind;
import io.cortexhub.hub.registry.NodeId;
import io.cortexhub.hub.registry.NodeIdentity;
import io.cortexhub.hub.workspace.WorkspaceId;
import io.cortexhub.hub.registry.NodeStore;
import io.cortexhub.hub.registry.NodeView;
import io.cortexhub.hub.runtime.HubCore;
import io.cortexhub.hub.runtime.HubSecurity;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

/**
 * The hub core on a test database with a fake clock and fake connections. The journal is not
 * started: tests call {@link #commit()} to run one group commit deterministically.
 */
public final class HubHarness implements AutoCloseable {
  public final FakeClock clock = new FakeClock();
  public final FakeConnections connections = new FakeConnections();
  public final TestDatabase db;
  public final HubSettings settings;
  public final HubSecurity security;
  public final HubCore core;

  /** A fresh data dir (PKI keystore) under target/, so tests never share key material. */
  public static Path tempDataDir() {
    try {
      Path target = Path.of("target", "hub-data");
      java.nio.file.Files.createDirectories(target);
      return java.nio.file.Files.createTempDirectory(target, "hub-");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public HubHarness(TestDatabase.Kind kind) {
    this(kind, new InMemoryNodeStore());
  }

  public HubHarness(TestDatabase.Kind kind, NodeStore nodes) {
    this(TestDatabase.create(kind), nodes, HubSettings.defaults(tempDataDir()));
  }

  public HubHarness(TestDatabase db, NodeStore nodes, HubSettings settings) {
    this.db = db;
    this.settings = settings;
    this.security = HubSecurity.loadOrCreate(settings, clock, new SecureRandom());
    this.core = new HubCore(settings, clock, new Random(7), db.dataSource(), nodes, connections,
        security, Runnable::run);
    core.load();
    core.startSweeps(clock.scheduler());
  }

  /** Connects a node (Hello + session open) and returns its recording connection. */
  public FakeConnections.Recording connect(String name, int slots, List<String> caps,
      Map<String, String> labels, List<ResumeEntry> resume) {
    return connect(WorkspaceId.DEFAULT, name, slots, caps, labels, resume);
  }

  /** Connects node {@code id-<name>} of {@code workspace}. */
  public FakeConnections.Recording connect(WorkspaceId workspace, String name, int slots,
      List<String> caps, Map<String, String> labels, List<ResumeEntry> resume) {
    NodeIdentity identity = new NodeIdentity(new NodeId("id-" + name), workspace);
    NodeId id = core.onHello(new NodeHello(identity, name, "i-" + name,
        new NodeView.Manifest("0.1.0", "Linux", "6", "amd64", "6", 2, 1L << 30, "17", name,
            "none"), caps, labels, slots));
    FakeConnections.Recording c = connections.open(id, UUID.randomUUID().toString());
    core.onSessionOpened(c, resume);
    return c;
  }

  public FakeConnections.Recording connect(String name, int slots) {
    return connect(name, slots, List.of("echo", "shell"), Map.of(), List.of());
  }

  public int commit() {
    return core.journal().flush();
  }

  public void output(NodeId node, TaskId task, long seq, String text) {
    core.onOutput(node, List.of(OutputChunkEvent.text(task.value(), seq, OutputStreamKind.STDOUT,
        text.getBytes(StandardCharsets.UTF_8), clock.millis())));
  }

  public void finish(NodeId node, TaskId task, TaskFinishReport.Outcome outcome, long finalSeq) {
    core.onTaskFinished(node, new TaskFinishReport(task.value(), outcome,
        Optional.of(outcome == TaskFinishReport.Outcome.SUCCEEDED ? 0 : 1), finalSeq,
        clock.millis(), clock.millis(), ""));
  }

  @Override
  public void close() throws java.sql.SQLException {
    db.close();
  }
}
