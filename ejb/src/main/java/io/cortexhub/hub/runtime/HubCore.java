package io.cortexhub.hub.runtime;

import io.cortexhub.hub.audit.JdbcCheckpointStore;
import io.cortexhub.hub.audit.NodeAudit;
import io.cortexhub.hub.audit.NodeAuditService;
import io.cortexhub.hub.config.HubSettings;
import io.cortexhub.hub.connector.api.NodeConnection;
import io.cortexhub.hub.connector.api.NodeConnectionFactory;
import io.cortexhub.hub.connector.inbound.AuditCheckpointReport;
import io.cortexhub.hub.connector.inbound.AuditRecordsReport;
import io.cortexhub.hub.connector.inbound.ConsentRequestReport;
import io.cortexhub.hub.connector.inbound.HeartbeatReport;
import io.cortexhub.hub.connector.inbound.NodeHello;
import io.cortexhub.hub.connector.inbound.NodeMessageListener;
import io.cortexhub.hub.connector.inbound.NodeRefusedException;
import io.cortexhub.hub.connector.inbound.OutputChunkEvent;
import io.cortexhub.hub.connector.inbound.ResumeEntry;
import io.cortexhub.hub.connector.inbound.TaskFinishReport;
import io.cortexhub.hub.connector.inbound.TaskRejection;
import io.cortexhub.hub.connector.inbound.TaskStartReport;
import io.cortexhub.hub.dispatch.Dispatcher;
import io.cortexhub.hub.dispatch.JdbcTaskStore;
import io.cortexhub.hub.dispatch.ResumeReply;
import io.cortexhub.hub.dispatch.TaskId;
import io.cortexhub.hub.dispatch.TaskIntake;
import io.cortexhub.hub.dispatch.TaskRecord;
import io.cortexhub.hub.dispatch.TaskService;
import io.cortexhub.hub.dispatch.TaskSpecFactory;
import io.cortexhub.hub.dispatch.TaskStore;
import io.cortexhub.hub.enrollment.Enrollment;
import io.cortexhub.hub.enrollment.JdbcJoinTokens;
import io.cortexhub.hub.enrollment.JdbcNodeIdentities;
import io.cortexhub.hub.session.SessionGrant;
import io.cortexhub.hub.enrollment.JdbcNodeRevocations;
import io.cortexhub.hub.journal.Journal;
import io.cortexhub.hub.output.JdbcOutputStore;
import io.cortexhub.hub.output.OutputBroadcaster;
import io.cortexhub.hub.output.OutputIngest;
import io.cortexhub.hub.output.OutputStore;
import io.cortexhub.hub.output.TaskOutputService;
import io.cortexhub.hub.registry.NodeDirectory;
import io.cortexhub.hub.registry.NodeId;
import io.cortexhub.hub.registry.NodeRegistry;
import io.cortexhub.hub.registry.NodeSessionTable;
import io.cortexhub.hub.registry.NodeState;
import io.cortexhub.hub.registry.NodeStore;
import io.cortexhub.hub.registry.NodeTransition;
import io.cortexhub.hub.registry.NodeView;
import io.cortexhub.hub.registry.WriteBehindNodeStore;
import io.cortexhub.hub.workspace.JdbcWorkspaceDirectory;
import io.cortexhub.hub.workspace.WorkspaceDirectory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The hub's logic, assembled: registry, dispatch, output and the journal, and the {@link
 * NodeMessageListener} that feeds them from the tunnel.
 *
 * <p>Plain Java so that the same wiring runs in the container (built by {@link HubRuntime}) and in
 * tests (with a fake clock, a fake connection factory and an H2 database). Thread-safe.
 */
public final class HubCore implements NodeMessageListener {
  private static final Logger LOG = Logger.getLogger(HubCore.class.getName());
  /** How long a node has to answer an audit query (it reads its own log file). */
  private static final Duration AUDIT_QUERY_TIMEOUT = Duration.ofSeconds(15);

  private final Clock clock;
  private final HubSettings settings;
  private final NodeConnectionFactory connections;
  private final TaskStore taskStore;
  private final NodeRegistry registry;
  private final Dispatcher dispatcher;
  private final Journal journal;
  private final OutputIngest ingest;
  private final OutputBroadcaster broadcaster;
  private final TaskIntake intake;
  private final WriteBehindNodeStore nodeStore;
  private final JdbcWorkspaceDirectory workspaces;
  private final JdbcJoinTokens joinTokens;
  private final JdbcNodeRevocations revocations;
  private final JdbcNodeIdentities identities;
  private final Enrollment enrollment;
  private final HubSecurity security;
  private final NodeAudit audit;
  private final Map<NodeId, NodeView> helloed = new ConcurrentHashMap<>();
  private ScheduledFuture<?> sweeper;

  /**
   * @param security the PKI, task signer and session token keys ({@link HubSecurity#loadOrCreate})
   * @param deliveryExecutor runs output subscribers' deliveries
   */
  public HubCore(HubSettings settings, Clock clock, Random random, DataSource dataSource,
      NodeStore nodeStore, NodeConnectionFactory connections, HubSecurity security,
      Executor deliveryExecutor) {
    this.clock = clock;
    this.security = security;
    this.settings = settings;
    this.connections = connections;
    this.taskStore = new JdbcTaskStore(dataSource);
    OutputStore outputStore = new JdbcOutputStore(dataSource);
    this.broadcaster = new OutputBroadcaster(outputStore, this::findTask, deliveryExecutor,
        settings.subscriberQueueChunks());
    OutputIngest[] ingestRef = new OutputIngest[1];
    this.journal = new Journal(dataSource, taskStore, outputStore,
        chunks -> ingestRef[0].outputCommitted(chunks), settings.journalBatchMax(),
        settings.journalCapacity());
    this.ingest = new OutputIngest(journal, taskStore, outputStore, connections, broadcaster);
    ingestRef[0] = ingest;
    // Node state changes are written behind, in batches, by the sweep: never a transaction per
    // transition on the tunnel's threads.
    this.nodeStore = new WriteBehindNodeStore(nodeStore);
    this.registry = new NodeRegistry(clock, this.nodeStore,
        new NodeSessionTable(settings.staleAfter(), settings.offlineAfter()));
    this.workspaces = new JdbcWorkspaceDirectory(dataSource, clock);
    this.joinTokens = new JdbcJoinTokens(dataSource, workspaces, clock, random);
    this.identities = new JdbcNodeIdentities(dataSource);
    this.revocations = new JdbcNodeRevocations(dataSource, clock,
        node -> registry.isKnown(node) || identities.isEnrolled(node));
    this.enrollment = new Enrollment(dataSource, joinTokens, identities, revocations,
        security.pki(), security.signer(), clock, random);
    revocations.onRevoked(node -> connections.connectionTo(node).ifPresent(c ->
        c.close(NodeConnection.CloseReason.REVOKED, "node revoked")));
    this.dispatcher = new Dispatcher(clock, journal, connections,
        new TaskSpecFactory(clock, random, settings.taskValidity(), security.signer()), ingest,
        workspaces,
        settings.dispatchLease(), settings.resultGrace());
    registry.countActiveWith(dispatcher::activeOn);
    this.intake = new TaskIntake(clock, random, taskStore, journal, dispatcher,
        (node, workspace) -> registry.find(node)
            .filter(v -> v.workspace().equals(workspace.value())).isPresent(),
        workspaces, settings.defaultTimeout(), settings.defaultKillGrace());
    this.audit = new NodeAudit(new JdbcCheckpointStore(dataSource), connections,
        id -> findTask(id).flatMap(TaskRecord::node), clock, random, AUDIT_QUERY_TIMEOUT);
  }

  /** Loads nodes and unfinished tasks from the database. Call once, before serving. */
  public void load() {
    registry.load();
    List<TaskRecord> unfinished = taskStore.unfinished();
    dispatcher.restore(unfinished, settings.bootLease());
    LOG.info(() -> "hub loaded " + registry.list().size() + " nodes and " + unfinished.size()
        + " unfinished tasks");
  }

  /** Starts the journal writer and the periodic sweep. */
  public void start(ThreadFactory journalThreads, ScheduledExecutorService scheduler) {
    journal.start(journalThreads);
    startSweeps(scheduler);
  }

  /** Runs {@link #sweep()} every sweep period on {@code scheduler}. */
  public void startSweeps(ScheduledExecutorService scheduler) {
    long period = settings.sweepPeriod().toMillis();
    sweeper = scheduler.scheduleAtFixedRate(this::sweepSafely, period, period,
        TimeUnit.MILLISECONDS);
  }

  /** Stops the sweep and writes what the journal still holds. */
  public void stop(Duration timeout) {
    if (sweeper != null) {
      sweeper.cancel(false);
    }
    journal.stop(timeout);
    nodeStore.flush();
  }

  private void sweepSafely() {
    try {
      sweep();
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "registry sweep failed", e);
    }
  }

  /** Applies heartbeat deadlines and lease ends, then retries queued tasks. Clock-driven. */
  public void sweep() {
    for (NodeTransition t : registry.sweep()) {
      if (t.to() == NodeState.STALE) {
        dispatcher.nodeStale(t.node());
      } else if (t.to() == NodeState.OFFLINE) {
        dispatcher.nodeOffline(t.node());
        connections.connectionTo(t.node()).ifPresent(c ->
            c.close(NodeConnection.CloseReason.UNAVAILABLE, "no heartbeat: " + t.reason()));
      }
    }
    dispatcher.expireLeases();
    dispatcher.dispatchPending();
    audit.expireQueries();
    nodeStore.flush();
  }

  // --- NodeMessageListener -------------------------------------------------------------------

  @Override
  public NodeId onHello(NodeHello said) {
    // Labels from the join token are the admin's word: they override the node's own.
    NodeHello hello = identities.find(said.identity().id())
        .filter(n -> !n.labels().isEmpty())
        .map(n -> said.withLabels(merge(said.labels(), n.labels())))
        .orElse(said);
    NodeView v = registry.register(hello);
    if (revocations.isRevoked(v.id())) {
      LOG.warning(() -> "node=" + v.id() + " name=" + hello.name() + " refused: node revoked");
      throw new NodeRefusedException("node revoked");
    }
    helloed.put(v.id(), v);
    return v.id();
  }

  private static Map<String, String> merge(Map<String, String> own, Map<String, String> admin) {
    Map<String, String> out = new java.util.HashMap<>(own);
    out.putAll(admin);
    return out;
  }

  /**
   * The session token for a node that said {@code hello}: its offered capabilities that its
   * workspace grants.
   */
  public Optional<SessionGrant> sessionGrant(NodeHello hello) {
    List<String> granted = workspaces.find(hello.identity().workspace())
        .map(w -> w.granted(hello.capabilities())).orElse(List.of());
    return Optional.of(security.sessions().mint(hello.identity(), granted));
  }

  @Override
  public void onSessionOpened(NodeConnection connection, List<ResumeEntry> resume) {
    NodeView v = helloed.remove(connection.node());
    if (v == null) {
      v = registry.find(connection.node()).orElseThrow();
    }
    registry.opened(v, connection.sessionId());
    List<ResumeReply> replies = dispatcher.nodeOnline(v, resume, this::findTask);
    for (ResumeReply r : replies) {
      connection.ackOutput(r.task(), r.ackSeq());
      if (r.cancel()) {
        connection.cancel(r.task(), settings.defaultKillGrace(), "the hub no longer runs this task");
      }
      if (r.finishedAck()) {
        connection.ackFinished(r.task());
      }
    }
  }

  @Override
  public void onHeartbeat(NodeId node, HeartbeatReport report) {
    Optional<NodeTransition> back = registry.heartbeat(node);
    registry.find(node).ifPresent(v -> {
      if (back.isPresent()) {
        dispatcher.nodeBack(v);
      }
      dispatcher.nodeHeartbeat(v);
    });
  }

  @Override
  public void onTaskAccepted(NodeId node, String taskId) {
    registry.heartbeat(node);
  }

  @Override
  public void onTaskRejected(NodeId node, TaskRejection rejection) {
    dispatcher.taskRejected(node, rejection);
  }

  @Override
  public void onTaskStarted(NodeId node, TaskStartReport started) {
    Instant at = started.startedAtUnixMs() > 0
        ? Instant.ofEpochMilli(started.startedAtUnixMs()) : clock.instant();
    dispatcher.taskStarted(node, new TaskId(started.taskId()), at);
  }

  @Override
  public void onOutput(NodeId node, List<OutputChunkEvent> chunks) {
    ingest.accept(node, chunks);
  }

  @Override
  public void onTaskFinished(NodeId node, TaskFinishReport finished) {
    TaskId id = new TaskId(finished.taskId());
    dispatcher.taskFinished(node, finished,
        () -> connections.connectionTo(node).ifPresent(c -> c.ackFinished(id)));
  }

  @Override
  public void onSessionClosed(NodeId node, String sessionId, String reason) {
    if (connections.connectionTo(node).filter(c -> !c.sessionId().equals(sessionId)).isPresent()) {
      // A newer session replaced this one: the node never went away.
      return;
    }
    registry.closed(node, sessionId, reason).ifPresent(t -> dispatcher.nodeOffline(node));
  }

  @Override
  public void onTaskAwaitingConsent(NodeId node, ConsentRequestReport request) {
    dispatcher.taskAwaitingConsent(node, new TaskId(request.taskId()), request.prompt(),
        Instant.ofEpochMilli(request.deadlineUnixMs()));
  }

  @Override
  public void onAuditCheckpoint(NodeConnection connection, AuditCheckpointReport checkpoint) {
    audit.checkpointReceived(connection, checkpoint);
  }

  @Override
  public void onAuditRecords(NodeId node, AuditRecordsReport records) {
    audit.recordsReceived(node, records);
  }

  // --- read and service views ----------------------------------------------------------------

  private Optional<TaskRecord> findTask(TaskId id) {
    return taskStore.find(id);
  }

  public NodeDirectory directory() {
    return registry;
  }

  public TaskService tasks() {
    return intake;
  }

  public TaskOutputService output() {
    return broadcaster;
  }

  public NodeAuditService audit() {
    return audit;
  }

  public JdbcWorkspaceDirectory workspaces() {
    return workspaces;
  }

  public JdbcJoinTokens joinTokens() {
    return joinTokens;
  }

  public JdbcNodeRevocations revocations() {
    return revocations;
  }

  public JdbcNodeIdentities identities() {
    return identities;
  }

  public Enrollment enrollment() {
    return enrollment;
  }

  public HubSecurity security() {
    return security;
  }

  public Journal journal() {
    return journal;
  }

  public Dispatcher dispatcher() {
    return dispatcher;
  }
}
