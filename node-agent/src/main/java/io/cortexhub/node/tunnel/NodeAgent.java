package io.cortexhub.node.tunnel;

import io.cortexhub.node.audit.CheckpointSink;
import io.cortexhub.node.backoff.Backoff;
import io.cortexhub.node.logging.AgentLog;
import io.cortexhub.node.logging.LogContext;
import io.cortexhub.node.output.OutputSpillException;
import io.cortexhub.node.output.SpoolDirectory;
import io.cortexhub.node.task.SessionGrant;
import io.cortexhub.node.task.StopReason;
import io.cortexhub.node.task.TaskRunner;
import io.cortexhub.proto.node.v1.Heartbeat;
import io.cortexhub.proto.node.v1.Hello;
import io.cortexhub.proto.node.v1.HubFrame;
import io.cortexhub.proto.node.v1.Manifest;
import io.cortexhub.proto.node.v1.NodeFrame;
import io.cortexhub.proto.node.v1.NodeTunnelGrpc;
import io.cortexhub.proto.node.v1.ProtocolVersion;
import io.cortexhub.proto.node.v1.SessionToken;
import io.cortexhub.proto.node.v1.Welcome;
import io.grpc.Channel;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One node: keeps a tunnel session to the hub open, reopening it after any failure with backoff,
 * and holds the node's tasks (and their unacknowledged output) across sessions.
 *
 * <p>Per session: Hello (with resume state) → Welcome → heartbeats every {@code
 * heartbeat_interval_ms}; task frames flow while the stream is ready. A session that ends for any
 * reason — refusal, TLS failure, hub restart, silence — schedules the next attempt after {@link
 * Backoff#nextDelay()}; a session that stayed healthy resets the backoff first. Tasks keep running
 * while disconnected and are reported on the next session.
 *
 * <p>Nothing runs unchecked: every assignment passes {@link io.cortexhub.node.task.TaskAdmission}
 * with the {@link NodeSecurity} given (the hub's signature over the exact task bytes, its own node
 * id, validity, a nonce never seen, a capability the session's token grants). A {@code SessionToken}
 * frame sets that session's grant (a new session starts with none) and is handed to the security's
 * listener, which renews credentials with it. Beyond that, {@link TaskControls} decide what the
 * node's owner allows (policy, protected paths, consent) and where every step is audited; the
 * audit log's checkpoints go to the hub ({@link #checkpointSink()}), which may also query a task's
 * records.
 *
 * <p>Thread-safety: the public methods may be called from any thread; all state is confined to a
 * {@link SerialExecutor} on the runtime's pool, which is why many agents can share a few threads.
 */
public final class NodeAgent implements TunnelSession.Listener {
  private final AgentSettings settings;
  private final Manifest manifest;
  private final Channel channel;
  private final Backoff backoff;
  private final AgentRuntime rt;
  private final AgentMetrics metrics;
  private final NodeSecurity security;
  private final AgentLog log;
  private final SerialExecutor loop;
  private final TaskLedger ledger;
  private final TaskCoordinator tasks;
  private final AuditExchange audits;
  private final String instanceId;
  private final AtomicBoolean pumpQueued = new AtomicBoolean();
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private final CompletableFuture<Void> drained = new CompletableFuture<>();

  private TunnelSession session;
  private long sessionCount;
  private ScheduledFuture<?> reconnectTimer;
  private boolean stopping;
  private boolean drainDone;
  private volatile boolean connected;
  private volatile String nodeIdView;

  /**
   * An agent without the owner's controls: no policy checks before acceptance, no consent, no audit
   * (simulated fleets and tests of the tunnel). A real node uses the constructor with {@link
   * TaskControls#enforcing}.
   */
  public NodeAgent(
      AgentSettings settings,
      Manifest manifest,
      List<TaskRunner> runners,
      Channel channel,
      Backoff backoff,
      AgentRuntime runtime,
      AgentMetrics metrics,
      NodeSecurity security) {
    this(settings, manifest, runners, channel, backoff, runtime, metrics, security, TaskControls.unchecked(AuditTrail.NONE));
  }

  /**
   * @param runners one per capability; the manifest should list the same
   * @param controls the owner's policy, consent and audit trail (see {@link TaskControls})
   */
  public NodeAgent(
      AgentSettings settings,
      Manifest manifest,
      List<TaskRunner> runners,
      Channel channel,
      Backoff backoff,
      AgentRuntime runtime,
      AgentMetrics metrics,
      NodeSecurity security,
      TaskControls controls) {
    Objects.requireNonNull(controls, "controls");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.manifest = Objects.requireNonNull(manifest, "manifest");
    this.channel = Objects.requireNonNull(channel, "channel");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    this.rt = Objects.requireNonNull(runtime, "runtime");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.security = Objects.requireNonNull(security, "security");
    this.log = AgentLog.of(NodeAgent.class, LogContext.ofNode(settings.nodeName()));
    this.loop = new SerialExecutor(runtime.pool());
    this.ledger = new TaskLedger(settings);
    Map<String, TaskRunner> byCapability = new LinkedHashMap<>();
    runners.forEach(r -> byCapability.put(r.capability(), r));
    this.tasks =
        new TaskCoordinator(
            settings, ledger, byCapability, runtime.clock(), loop, runtime.io(), metrics, log, new Outbound(), security,
            controls);
    this.audits = new AuditExchange(controls.audit(), loop, this::sendIfWelcomed, log);
    this.instanceId = new UUID(runtime.random().nextLong(), runtime.random().nextLong()).toString();
    security.certifiedNodeId().ifPresent(id -> {
      ledger.nodeId(id);
      nodeIdView = id;
    });
  }

  /**
   * Where the audit log hands its checkpoints ({@link CheckpointRelay#forwardTo}): each is sent to
   * the hub on the current session, and the newest unacknowledged one again after each Welcome.
   */
  public CheckpointSink checkpointSink() {
    return audits::checkpointWritten;
  }

  /** Opens the first session. */
  public void start() {
    loop.execute(
        () -> {
          removeLeftoverSpool();
          connect();
        });
  }

  private void removeLeftoverSpool() {
    SpoolDirectory spool = new SpoolDirectory(settings.spoolDir());
    try {
      SpoolDirectory.Leftovers left = spool.removeLeftovers();
      if (left.files() > 0) {
        log.warn(
            "removed "
                + left.files()
                + " leftover spill file(s) ("
                + left.bytes()
                + " bytes) in "
                + spool.path()
                + ": output of a previous agent process, whose tasks a new process cannot resume");
      }
    } catch (OutputSpillException e) {
      log.error("cannot remove leftover spill files; they count against no budget but use disk", e);
    }
  }

  /**
   * Stops cleanly: sends nothing new, closes the stream, terminates running tasks' process trees.
   * Completes when no task is running any more.
   */
  public CompletableFuture<Void> shutdown() {
    loop.execute(
        () -> {
          if (!stopping) {
            stopping = true;
            if (reconnectTimer != null) {
              reconnectTimer.cancel(false);
            }
            if (session != null) {
              session.close();
            }
            log.info("stopping; " + ledger.running() + " task(s) still running");
            tasks.stopAll(StopReason.AGENT_SHUTDOWN, settings.shutdownGrace());
          }
          checkStopped();
        });
    return stopped;
  }

  /** Completes when a Drain from the hub has been honoured and the stream closed. */
  public CompletableFuture<Void> drained() {
    return drained;
  }

  /** The random id of this agent process, sent in every Hello. */
  public String instanceId() {
    return instanceId;
  }

  /** The hub's id for this node, once welcomed. */
  public Optional<String> nodeId() {
    return Optional.ofNullable(nodeIdView);
  }

  /** Whether a session is open and welcomed right now. */
  public boolean isConnected() {
    return connected;
  }

  public String nodeName() {
    return settings.nodeName();
  }

  private void connect() {
    reconnectTimer = null;
    if (stopping || drainDone) {
      return;
    }
    TunnelSession s = new TunnelSession(loop, this, ++sessionCount);
    session = s;
    long now = rt.clock().millis();
    s.openedAtMs = now;
    s.lastHeardAtMs = now;
    try {
      NodeTunnelGrpc.newStub(channel).connect(s);
    } catch (RuntimeException e) {
      session = null;
      scheduleReconnect(false, Status.fromThrowable(e));
      return;
    }
    long timeout = settings.welcomeTimeout().toMillis();
    s.welcomeTimer =
        rt.scheduler()
            .schedule(
                () ->
                    loop.execute(
                        () -> {
                          if (!s.welcomed) {
                            s.abort("no Welcome within " + timeout + " ms");
                          }
                        }),
                timeout,
                TimeUnit.MILLISECONDS);
    s.send(NodeFrame.newBuilder().setHello(hello()).build());
  }

  private Hello hello() {
    return Hello.newBuilder()
        .setProtocolVersion(ProtocolVersion.PROTOCOL_VERSION_1_VALUE)
        .setNodeName(settings.nodeName())
        .setManifest(manifest)
        .addAllResume(ledger.resumeStates())
        .setInstanceId(instanceId)
        .build();
  }

  @Override
  public void onFrame(TunnelSession s, HubFrame frame) {
    s.lastHeardAtMs = rt.clock().millis();
    if (stopping) {
      return; // shutting down: take nothing new, send nothing new
    }
    if (frame.getKindCase() == HubFrame.KindCase.WELCOME) {
      onWelcome(s, frame.getWelcome());
      return;
    }
    if (!s.welcomed) {
      log.warn("hub sent " + frame.getKindCase() + " before Welcome; dropping the stream");
      s.abort("protocol violation: " + frame.getKindCase() + " before Welcome");
      return;
    }
    switch (frame.getKindCase()) {
      case ASSIGNMENT -> tasks.onAssignment(frame.getAssignment());
      case OUTPUT_ACK -> tasks.onOutputAck(frame.getOutputAck());
      case FINISHED_ACK -> tasks.onFinishedAck(frame.getFinishedAck());
      case CANCEL -> tasks.onCancel(frame.getCancel());
      case SESSION_TOKEN -> onSessionToken(frame.getSessionToken());
      case AUDIT_QUERY -> audits.onQuery(frame.getAuditQuery());
      case AUDIT_CHECKPOINT_ACK -> audits.onAck(frame.getAuditCheckpointAck());
      case DRAIN -> {
        ledger.drain();
        log.info("hub asked to drain: " + frame.getDrain().getReason());
        checkDrained();
      }
      case HEARTBEAT_ACK -> {
        // lastHeardAtMs is all we need from it
      }
      default -> log.debug("ignoring a hub frame of unknown kind (newer hub?)");
    }
  }

  /** Sets this session's grant for admission and hands the token on (bearer, renew-now). */
  private void onSessionToken(SessionToken token) {
    if (token.getToken().isEmpty() || token.getExpiresAtUnixMs() <= 0) {
      log.warn("ignoring a session token without token or expiry");
      return;
    }
    var grant = new SessionGrant(Set.copyOf(token.getGrantedCapabilitiesList()), Instant.ofEpochMilli(token.getExpiresAtUnixMs()));
    boolean quiet = ledger.sessionGrant().isPresent() && !token.getRenewCredentialsNow();
    ledger.sessionGrant(Optional.of(grant));
    String line = "session token: granted " + grant.capabilities().stream().sorted().toList() + " until " + grant.expiresAt()
        + (token.getRenewCredentialsNow() ? "; the hub asks to renew credentials now" : "");
    if (quiet) {
      log.debug(line); // a refresh
    } else {
      log.info(line);
    }
    security.sessionTokens().onSessionToken(token);
  }

  private void onWelcome(TunnelSession s, Welcome w) {
    if (s.welcomed) {
      s.abort("protocol violation: second Welcome");
      return;
    }
    long now = rt.clock().millis();
    s.welcomed = true;
    s.welcomedAtMs = now;
    s.sessionId = w.getSessionId();
    // Grants belong to a session: the hub sends this session's token right after Welcome.
    ledger.sessionGrant(Optional.empty());
    if (s.welcomeTimer != null) {
      s.welcomeTimer.cancel(false);
    }
    if (security.certifiedNodeId().isPresent()) {
      String certified = security.certifiedNodeId().get();
      if (!w.getNodeId().isEmpty() && !w.getNodeId().equals(certified)) {
        log.warn("the hub welcomed this node as " + w.getNodeId() + " but its certificate names " + certified
            + "; tasks must name " + certified);
      }
    } else if (!w.getNodeId().isEmpty()) {
      ledger.nodeId(w.getNodeId());
      nodeIdView = w.getNodeId();
    }
    long interval =
        w.getHeartbeatIntervalMs() > 0
            ? w.getHeartbeatIntervalMs()
            : AgentSettings.DEFAULT_HEARTBEAT.toMillis();
    s.heartbeatIntervalMs = interval;
    ledger.rewindAll();
    metrics.sessionOpened();
    log.info(
        "connected to hub: session "
            + w.getSessionId()
            + ", node id "
            + w.getNodeId()
            + ", heartbeat "
            + interval
            + " ms, clock offset "
            + (w.getHubTimeUnixMs() - now)
            + " ms, resuming "
            + ledger.all().size()
            + " task(s)");
    long initial = settings.staggerHeartbeats() ? 1 + rt.random().nextLong(interval) : interval;
    s.heartbeat =
        rt.scheduler()
            .scheduleAtFixedRate(
                () -> loop.execute(() -> heartbeat(s)), initial, interval, TimeUnit.MILLISECONDS);
    connected = true;
    audits.onWelcome();
    pump();
    checkDrained();
  }

  private void heartbeat(TunnelSession s) {
    if (session != s || !s.isOpen()) {
      return;
    }
    long now = rt.clock().millis();
    if (ledger.all().size() > 0) {
      ledger.releaseResumeHolds();
      pump();
    }
    long silenceLimit = Math.max(settings.hubSilenceLimit().toMillis(), 4 * s.heartbeatIntervalMs);
    if (now - s.lastHeardAtMs > silenceLimit) {
      log.warn("hub silent for " + (now - s.lastHeardAtMs) + " ms; reconnecting");
      s.abort("hub silent for " + (now - s.lastHeardAtMs) + " ms");
      return;
    }
    s.send(
        NodeFrame.newBuilder()
            .setHeartbeat(
                Heartbeat.newBuilder()
                    .setSentAtUnixMs(now)
                    .setRunningTasks(ledger.running())
                    .setFreeSlots(Math.max(0, ledger.freeSlots()))
                    .setLoadAverage(rt.loadAverage().getAsDouble()))
            .build());
    metrics.heartbeatSent();
  }

  @Override
  public void onReady(TunnelSession s) {
    pump();
  }

  @Override
  public void onEnded(TunnelSession s, Status status) {
    if (s != session) {
      return;
    }
    session = null;
    metrics.sessionClosed(s.welcomed);
    connected = false;
    if (stopping || drainDone) {
      log.info("stream closed: " + StatusText.describe(status));
      return;
    }
    boolean healthy =
        s.welcomed
            && rt.clock().millis() - s.welcomedAtMs >= settings.healthyAfter().toMillis();
    scheduleReconnect(healthy, status, s.welcomed);
  }

  private void scheduleReconnect(boolean healthy, Status status) {
    scheduleReconnect(healthy, status, false);
  }

  private void scheduleReconnect(boolean healthy, Status status, boolean wasConnected) {
    if (healthy) {
      backoff.reset();
    }
    Duration delay = backoff.nextDelay();
    String line =
        (wasConnected ? "lost the hub connection: " : "cannot connect to the hub: ")
            + StatusText.describe(status)
            + "; retrying in "
            + delay.toMillis()
            + " ms";
    if (status.getCode() == Status.Code.PERMISSION_DENIED || status.getCode() == Status.Code.UNAUTHENTICATED) {
      // Not a network problem: retrying will not help unless an admin acts (revoked node, CA mix-up).
      log.error(line + "; the hub refuses this node's identity: if it was revoked, it must be enrolled again", null);
    } else {
      log.warn(line);
    }
    reconnectTimer =
        rt.scheduler()
            .schedule(() -> loop.execute(this::connect), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void pump() {
    pumpQueued.set(false);
    TunnelSession s = session;
    if (s == null || !s.welcomed || stopping) {
      return;
    }
    boolean sent = false;
    while (s.isReady()) {
      Optional<NodeFrame> f = ledger.nextFrame();
      if (f.isEmpty()) {
        break;
      }
      s.send(f.get());
      sent = true;
    }
    if (sent) {
      checkDrained(); // a task refused after waiting for consent leaves with its last frame
    }
  }

  private void sendIfWelcomed(NodeFrame frame) {
    TunnelSession s = session;
    if (s != null && s.welcomed && !stopping) {
      s.send(frame);
    }
  }

  private void checkDrained() {
    if (!ledger.draining() || !ledger.isEmpty() || drainDone) {
      return;
    }
    drainDone = true;
    log.info("drained: no task left; closing the stream");
    if (session != null) {
      session.close();
    }
    drained.complete(null);
  }

  private void checkStopped() {
    if (stopping && ledger.running() == 0) {
      stopped.complete(null);
    }
  }

  /** The coordinator's view of "the current stream". */
  private final class Outbound implements TaskCoordinator.Outbound {
    @Override
    public void sendNow(NodeFrame frame) {
      sendIfWelcomed(frame);
    }

    @Override
    public void pumpSoon() {
      if (pumpQueued.compareAndSet(false, true)) {
        loop.execute(NodeAgent.this::pump);
      }
    }

    @Override
    public void taskSettled() {
      checkDrained();
      checkStopped();
    }
  }
}
