package io.cortexhub.hub.dispatch;

import io.cortexhub.hub.connector.api.NodeConnection;
import io.cortexhub.hub.connector.api.NodeConnectionFactory;
import io.cortexhub.hub.connector.api.TaskEnvelope;
import io.cortexhub.hub.connector.inbound.ResumeEntry;
import io.cortexhub.hub.connector.inbound.TaskFinishReport;
import io.cortexhub.hub.connector.inbound.TaskRejection;
import io.cortexhub.hub.journal.Journal;
import io.cortexhub.hub.registry.NodeId;
import io.cortexhub.hub.registry.NodeView;
import io.cortexhub.hub.workspace.WorkspaceDirectory;
import io.cortexhub.hub.workspace.WorkspaceId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Routes tasks to nodes and tracks them to a final state, entirely in memory, with every
 * transition journalled before it has effects outside the hub (a task is sent only after its
 * DISPATCHED row committed).
 *
 * <p>QUEUED tasks wait in submit order; {@link #dispatchPending} is run on submit, node connect,
 * task end and by the sweep, and sends each queued task to the least-loaded routable node with
 * the capability, a free slot and the selector's labels (or to its target node), always within
 * the task's workspace and only for a capability that workspace grants. A node that goes
 * OFFLINE keeps its tasks for the lease; when the lease ends they are LOST. Thread-safe: one lock
 * guards the in-memory state; journal writes and sends happen outside it.
 */
public final class Dispatcher {
  private static final Logger LOG = Logger.getLogger(Dispatcher.class.getName());

  private static final class Active {
    TaskRecord task;
    final NodeId node;
    Instant leaseUntil;
    /** Until when the node's owner may take to decide, while the task awaits consent. */
    Instant consentUntil;

    Active(TaskRecord task, NodeId node) {
      this.task = task;
      this.node = node;
    }
  }

  private final Clock clock;
  private final Journal journal;
  private final NodeConnectionFactory connections;
  private final TaskSpecFactory specs;
  private final TaskProgressListener progress;
  private final WorkspaceDirectory workspaces;
  private final Duration lease;
  private final Duration resultGrace;

  private final Deque<TaskRecord> queued = new ArrayDeque<>();
  private final Map<TaskId, Active> active = new HashMap<>();
  private final Map<NodeId, Set<TaskId>> byNode = new HashMap<>();
  private final NodeLoadIndex index = new NodeLoadIndex();
  private final Set<NodeId> capacityBlocked = new HashSet<>();
  private final Set<NodeId> draining = new HashSet<>();

  public Dispatcher(Clock clock, Journal journal, NodeConnectionFactory connections,
      TaskSpecFactory specs, TaskProgressListener progress, WorkspaceDirectory workspaces,
      Duration lease, Duration resultGrace) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.journal = Objects.requireNonNull(journal, "journal");
    this.connections = Objects.requireNonNull(connections, "connections");
    this.specs = Objects.requireNonNull(specs, "specs");
    this.progress = Objects.requireNonNull(progress, "progress");
    this.workspaces = Objects.requireNonNull(workspaces, "workspaces");
    this.lease = Objects.requireNonNull(lease, "lease");
    this.resultGrace = Objects.requireNonNull(resultGrace, "resultGrace");
  }

  /**
   * Reloads unfinished tasks after a boot: no node is connected yet, so the leases of dispatched
   * tasks start now and last {@code bootLease}, long enough for nodes to notice and reconnect.
   */
  public synchronized void restore(List<TaskRecord> unfinished, Duration bootLease) {
    Instant until = clock.instant().plus(bootLease);
    for (TaskRecord t : unfinished) {
      if (t.state() == TaskState.QUEUED || t.node().isEmpty()) {
        queued.addLast(t);
      } else {
        Active a = track(t, t.node().get());
        a.leaseUntil = until;
      }
    }
  }

  /** A stored QUEUED task joins the queue and dispatch runs. */
  public void enqueue(TaskRecord task) {
    synchronized (this) {
      queued.addLast(task);
    }
    dispatchPending();
  }

  /** Sends every queued task that has an eligible node now. */
  public void dispatchPending() {
    List<Active> picked = new ArrayList<>();
    synchronized (this) {
      for (Iterator<TaskRecord> it = queued.iterator(); it.hasNext(); ) {
        TaskRecord t = it.next();
        if (!workspaces.grants(new WorkspaceId(t.workspace()), t.capability())) {
          // The workspace stopped granting the capability after submit: the task waits (or is
          // cancelled); it never reaches a node that may not run it.
          continue;
        }
        Optional<NodeView> node = index.pick(t.workspace(), t.capability(), t.targetNode(),
            t.selector());
        if (node.isPresent()) {
          it.remove();
          Instant now = clock.instant();
          TaskRecord sent = t.with(TaskUpdate.dispatched(t.id(), node.get().id(), now));
          picked.add(track(sent, node.get().id()));
        }
      }
    }
    for (Active a : picked) {
      TaskEnvelope envelope = specs.envelope(a.task, a.node);
      progress.taskDispatched(a.task);
      journal.append(TaskUpdate.dispatched(a.task.id(), a.node, a.task.dispatchedAt().orElseThrow()),
          () -> send(a.task.id(), a.node, envelope));
    }
  }

  private void send(TaskId task, NodeId node, TaskEnvelope envelope) {
    boolean sent = connections.connectionTo(node).map(c -> c.sendTask(envelope)).orElse(false);
    if (!sent) {
      // The node never got it: it is safe to route the task again.
      requeueIf(task, node, TaskState.DISPATCHED, "node " + node + " unreachable at send");
    }
  }

  private Active track(TaskRecord t, NodeId node) {
    Active a = new Active(t, node);
    active.put(t.id(), a);
    byNode.computeIfAbsent(node, n -> new LinkedHashSet<>()).add(t.id());
    index.adjust(node, 1);
    return a;
  }

  private void untrack(Active a) {
    active.remove(a.task.id());
    Set<TaskId> ids = byNode.get(a.node);
    if (ids != null) {
      ids.remove(a.task.id());
      if (ids.isEmpty()) {
        byNode.remove(a.node);
      }
    }
    index.adjust(a.node, -1);
  }

  /**
   * A session of the node opened: it becomes routable, its resumed tasks keep running, tasks the
   * hub thought were on it but it does not list become LOST at once. Returns what to tell the node
   * about each resumed task.
   */
  public List<ResumeReply> nodeOnline(NodeView node, List<ResumeEntry> resume,
      java.util.function.Function<TaskId, Optional<TaskRecord>> stored) {
    List<ResumeReply> replies = new ArrayList<>();
    List<Active> lost = new ArrayList<>();
    Set<TaskId> listed = new HashSet<>();
    synchronized (this) {
      capacityBlocked.remove(node.id());
      draining.remove(node.id());
      for (ResumeEntry r : resume) {
        TaskId id = new TaskId(r.taskId());
        listed.add(id);
        Active a = active.get(id);
        if (a != null && a.node.equals(node.id())) {
          a.leaseUntil = null;
          replies.add(new ResumeReply(id, -1, false, false));
        } else {
          replies.add(new ResumeReply(id, -1, !r.finished(), r.finished()));
        }
      }
      for (TaskId id : List.copyOf(byNode.getOrDefault(node.id(), Set.of()))) {
        if (!listed.contains(id)) {
          lost.add(active.get(id));
        }
      }
      index.add(node);
    }
    Instant now = clock.instant();
    for (Active a : lost) {
      finish(a, TaskState.LOST, now, Optional.empty(),
          "node " + node.name() + " reconnected without this task", Optional.empty());
    }
    List<ResumeReply> out = new ArrayList<>();
    for (ResumeReply r : replies) {
      if (r.cancel() || r.finishedAck()) {
        // Not (or no longer) this node's live task: a known final task keeps its output.
        boolean known = stored.apply(r.task()).isPresent();
        out.add(new ResumeReply(r.task(), known ? progress.storedThrough(r.task()) : 0,
            r.cancel(), r.finishedAck()));
      } else {
        out.add(new ResumeReply(r.task(), progress.storedThrough(r.task()), false, false));
      }
    }
    dispatchPending();
    return out;
  }

  /** A STALE node heartbeats again: routable once more (its tasks never stopped). */
  public void nodeBack(NodeView node) {
    synchronized (this) {
      if (!draining.contains(node.id()) && !capacityBlocked.contains(node.id())) {
        index.add(node);
      }
    }
    dispatchPending();
  }

  /** The node is STALE: no new tasks, its running ones carry on. */
  public synchronized void nodeStale(NodeId node) {
    index.remove(node);
  }

  /** The node is OFFLINE: no new tasks, and the lease of its tasks starts now. */
  public synchronized void nodeOffline(NodeId node) {
    index.remove(node);
    Instant until = clock.instant().plus(lease);
    for (TaskId id : byNode.getOrDefault(node, Set.of())) {
      Active a = active.get(id);
      if (a.leaseUntil == null) {
        a.leaseUntil = until;
      }
    }
  }

  /** A heartbeat: a node that said CAPACITY may be routed to again. */
  public synchronized void nodeHeartbeat(NodeView node) {
    if (capacityBlocked.remove(node.id()) && !draining.contains(node.id())
        && node.state() == io.cortexhub.hub.registry.NodeState.ONLINE) {
      index.add(node);
    }
  }

  /**
   * The node holds the task until its owner decides; the wait (up to the node's deadline) does not
   * count against the task's result deadline.
   */
  public void taskAwaitingConsent(NodeId node, TaskId task, String prompt, Instant deadline) {
    String detail = "awaiting consent on node " + node + " until " + deadline
        + (prompt.isEmpty() ? "" : ": " + prompt);
    synchronized (this) {
      Active a = active.get(task);
      if (a == null || !a.node.equals(node) || a.task.state() != TaskState.DISPATCHED) {
        return;
      }
      a.consentUntil = deadline;
      a.task = a.task.with(TaskUpdate.awaitingConsent(task, node, detail));
    }
    LOG.info(() -> "task=" + task + " node=" + node + " " + detail);
    journal.append(TaskUpdate.awaitingConsent(task, node, detail), null);
  }

  public void taskStarted(NodeId node, TaskId task, Instant startedAt) {
    TaskRecord started;
    synchronized (this) {
      Active a = active.get(task);
      if (a == null || !a.node.equals(node) || (a.task.state() != TaskState.DISPATCHED
          && a.task.state() != TaskState.AWAITING_CONSENT)) {
        return;
      }
      a.task = a.task.with(TaskUpdate.running(task, node, startedAt));
      started = a.task;
    }
    journal.append(TaskUpdate.running(task, node, started.startedAt().orElseThrow()), null);
  }

  public void taskRejected(NodeId node, TaskRejection rejection) {
    TaskId id = new TaskId(rejection.taskId());
    String detail = "rejected by node " + node + ": " + rejection.reason()
        + (rejection.detail().isEmpty() ? "" : ": " + rejection.detail());
    if (rejection.reason().isRetryable()) {
      synchronized (this) {
        // Trust the node over our count: route nothing more to it until it heartbeats.
        index.remove(node);
        capacityBlocked.add(node);
        if (rejection.reason() == TaskRejection.Reason.DRAINING) {
          // A draining node stays unroutable until it reconnects.
          draining.add(node);
        }
      }
      requeueIf(id, node, null, detail);
      return;
    }
    Active a;
    synchronized (this) {
      a = active.get(id);
      if (a == null || !a.node.equals(node)) {
        return;
      }
    }
    finish(a, TaskState.FAILED, clock.instant(), Optional.empty(), detail, Optional.empty());
  }

  public void taskFinished(NodeId node, TaskFinishReport report, Runnable afterCommit) {
    TaskId id = new TaskId(report.taskId());
    Active a;
    synchronized (this) {
      a = active.get(id);
    }
    if (a == null || !a.node.equals(node)) {
      // Already final (a resend after reconnect, or LOST meanwhile): just let the node forget it.
      afterCommit.run();
      return;
    }
    TaskState state = switch (report.outcome()) {
      case SUCCEEDED -> TaskState.SUCCEEDED;
      case FAILED -> TaskState.FAILED;
      case QUOTA_EXCEEDED -> TaskState.QUOTA_EXCEEDED;
      case CANCELLED -> TaskState.CANCELLED;
      case TIMED_OUT -> TaskState.TIMED_OUT;
    };
    finish(a, state, clock.instant(), report.exitCode(), report.detail(),
        Optional.of(report.finalSeq()), afterCommit);
  }

  /** Cancels a task the dispatcher holds; empty when it holds no such task. */
  public Optional<TaskRecord> cancel(TaskId id, String reason) {
    TaskRecord queuedTask = null;
    Active a;
    synchronized (this) {
      for (Iterator<TaskRecord> it = queued.iterator(); it.hasNext(); ) {
        TaskRecord t = it.next();
        if (t.id().equals(id)) {
          it.remove();
          queuedTask = t;
          break;
        }
      }
      a = queuedTask == null ? active.get(id) : null;
    }
    if (queuedTask != null) {
      TaskUpdate u = TaskUpdate.finished(id, TaskState.CANCELLED, Optional.empty(),
          clock.instant(), Optional.empty(), reason, Optional.empty());
      TaskRecord cancelled = queuedTask.with(u);
      // Not waited for: the journal commits within milliseconds, and a crash before that leaves
      // the task QUEUED, which a retried cancel settles.
      journal.append(u, () -> progress.taskFinal(cancelled));
      return Optional.of(cancelled);
    }
    if (a == null) {
      return Optional.empty();
    }
    connections.connectionTo(a.node).ifPresent(c -> c.cancel(id, a.task.killGrace(), reason));
    return Optional.of(a.task);
  }

  /**
   * Ends the leases that ran out by now, and the tasks whose node, though connected, is overdue with
   * their result (see {@link #resultDeadline}): those tasks are LOST.
   */
  public void expireLeases() {
    Instant now = clock.instant();
    List<Active> expired = new ArrayList<>();
    List<Active> overdue = new ArrayList<>();
    synchronized (this) {
      for (Active a : active.values()) {
        if (a.leaseUntil != null && !now.isBefore(a.leaseUntil)) {
          expired.add(a);
        } else if (a.leaseUntil == null
            && resultDeadline(a).filter(d -> !now.isBefore(d)).isPresent()) {
          overdue.add(a);
        }
      }
    }
    for (Active a : overdue) {
      Instant deadline = resultDeadline(a).orElseThrow();
      connections.connectionTo(a.node).ifPresent(c ->
          c.cancel(a.task.id(), a.task.killGrace(), "the hub gave up waiting for the result"));
      finish(a, TaskState.LOST, now, Optional.empty(), "node " + a.node + " reported no result by "
          + deadline + " (timeout " + a.task.timeout() + " + kill grace " + a.task.killGrace()
          + " + result grace " + resultGrace + " after dispatch)", Optional.empty());
    }
    for (Active a : expired) {
      finish(a, TaskState.LOST, now, Optional.empty(),
          "node " + a.node + " did not come back before the task's lease ended at " + a.leaseUntil,
          Optional.empty());
    }
  }

  /**
   * When the hub stops waiting for a connected node's result: the task's own timeout and kill grace
   * after dispatch (or after the owner's consent deadline, if the node asked for consent), plus the
   * result grace for output still in flight. The node enforces the timeout; this only keeps a node
   * that never answers from leaving a task RUNNING forever.
   */
  private Optional<Instant> resultDeadline(Active a) {
    TaskRecord task = a.task;
    return task.dispatchedAt()
        .map(d -> a.consentUntil != null && a.consentUntil.isAfter(d) ? a.consentUntil : d)
        .map(d -> d.plus(task.timeout()).plus(task.killGrace()).plus(resultGrace));
  }

  private void finish(Active a, TaskState state, Instant at, Optional<Integer> exitCode,
      String detail, Optional<Long> finalSeq) {
    finish(a, state, at, exitCode, detail, finalSeq, () -> { });
  }

  private void finish(Active a, TaskState state, Instant at, Optional<Integer> exitCode,
      String detail, Optional<Long> finalSeq, Runnable afterCommit) {
    TaskUpdate u = TaskUpdate.finished(a.task.id(), state, Optional.of(a.node), at, exitCode,
        detail, finalSeq);
    TaskRecord done;
    synchronized (this) {
      if (active.get(a.task.id()) != a) {
        afterCommit.run();
        return;
      }
      untrack(a);
      done = a.task.with(u);
    }
    if (state == TaskState.LOST || state == TaskState.FAILED && finalSeq.isEmpty()) {
      LOG.warning(() -> "task=" + done.id() + " node=" + a.node + " trace=" + done.traceparent()
          + " " + state + ": " + detail);
    }
    journal.append(u, () -> {
      progress.taskFinal(done);
      afterCommit.run();
    });
    dispatchPending();
  }

  private void requeueIf(TaskId id, NodeId node, TaskState expected, String detail) {
    TaskRecord back;
    synchronized (this) {
      Active a = active.get(id);
      if (a == null || !a.node.equals(node) || expected != null && a.task.state() != expected) {
        return;
      }
      untrack(a);
      back = a.task.with(TaskUpdate.requeued(id, detail));
      queued.addFirst(back);
    }
    LOG.info(() -> "task=" + id + " node=" + node + " requeued: " + detail);
    journal.append(TaskUpdate.requeued(id, detail), null);
    dispatchPending();
  }

  /** Tasks on the node and not finished. */
  public synchronized int activeOn(NodeId node) {
    return index.active(node);
  }

  public synchronized int queuedCount() {
    return queued.size();
  }

  /** The in-memory state of a task the dispatcher holds (newer than the database by a few ms). */
  public synchronized Optional<TaskRecord> live(TaskId id) {
    Active a = active.get(id);
    if (a != null) {
      return Optional.of(a.task);
    }
    return queued.stream().filter(t -> t.id().equals(id)).findFirst();
  }
}
