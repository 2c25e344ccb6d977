package io.cortexhub.hub.dispatch;

import io.cortexhub.hub.registry.NodeId;
import io.cortexhub.hub.workspace.WorkspaceDirectory;
import io.cortexhub.hub.workspace.WorkspaceId;
import io.cortexhub.hub.workspace.WorkspaceScope;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;

/**
 * {@link TaskService} logic: validates a request, stores it as QUEUED (idempotently), hands it to
 * the {@link Dispatcher}; reads come from the store.
 *
 * <p>The insert goes through {@link TaskInserts} (the journal in production), so concurrent submits
 * share one commit; a submit returns, and its task is dispatched, only after that commit.
 * Thread-safe.
 */
public final class TaskIntake implements TaskService {
  static final int MAX_ECHO_BYTES = 64 * 1024;
  static final int MAX_ARGV_CHARS = 60_000;
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9._/-]{1,128}");

  private final Clock clock;
  private final Random random;
  /** A submit never waits longer than this for its commit (the journal retries much sooner). */
  private static final long COMMIT_WAIT_SECONDS = 30;

  private final TaskStore store;
  private final TaskInserts inserts;
  private final Dispatcher dispatcher;
  private final BiPredicate<NodeId, WorkspaceId> knownNode;
  private final WorkspaceDirectory workspaces;
  private final Duration defaultTimeout;
  private final Duration defaultKillGrace;

  public TaskIntake(Clock clock, Random random, TaskStore store, TaskInserts inserts,
      Dispatcher dispatcher, BiPredicate<NodeId, WorkspaceId> knownNode,
      WorkspaceDirectory workspaces, Duration defaultTimeout, Duration defaultKillGrace) {
    this.inserts = Objects.requireNonNull(inserts, "inserts");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
    this.store = Objects.requireNonNull(store, "store");
    this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
    this.knownNode = Objects.requireNonNull(knownNode, "knownNode");
    this.workspaces = Objects.requireNonNull(workspaces, "workspaces");
    this.defaultTimeout = Objects.requireNonNull(defaultTimeout, "defaultTimeout");
    this.defaultKillGrace = Objects.requireNonNull(defaultKillGrace, "defaultKillGrace");
  }

  @Override
  public Submission submit(TaskRequest request) {
    return finish(prepare(request));
  }

  /** Queues every valid request's insert first, then waits: the whole batch shares commits. */
  @Override
  public List<SubmitOutcome> submitAll(List<TaskRequest> requests) {
    SubmitOutcome[] outcomes = new SubmitOutcome[requests.size()];
    Pending[] pending = new Pending[requests.size()];
    for (int i = 0; i < pending.length; i++) {
      try {
        pending[i] = prepare(requests.get(i));
      } catch (RuntimeException e) {
        outcomes[i] = new SubmitOutcome.Refused(e);
      }
    }
    for (int i = 0; i < pending.length; i++) {
      if (pending[i] == null) {
        continue;
      }
      try {
        outcomes[i] = new SubmitOutcome.Accepted(finish(pending[i]));
      } catch (RuntimeException e) {
        outcomes[i] = new SubmitOutcome.Refused(e);
      }
    }
    return List.of(outcomes);
  }

  /** A submit between validation and commit: either already answered, or its insert queued. */
  private record Pending(TaskRequest request, Optional<Submission> seen, TaskRecord task,
      CompletableFuture<Void> durable) { }

  private Pending prepare(TaskRequest request) {
    validate(request);
    if (request.idempotencyKey().isPresent()) {
      Optional<TaskRecord> seen = store.findByIdempotencyKey(request.idempotencyKey().get());
      if (seen.isPresent()) {
        return new Pending(request, Optional.of(new Submission(seen.get().toView(), false)), null,
            null);
      }
    }
    TaskRecord task = new TaskRecord(TaskId.random(), request.kind(), request.workspace(),
        TaskState.QUEUED,
        Optional.empty(), request.targetNode(), request.selector(), request.echoMessage(),
        request.argv(), request.env(), request.workingDir(), request.fs(),
        request.timeout().orElse(defaultTimeout), defaultKillGrace, request.idempotencyKey(),
        request.requestedBy(), request.traceparent().orElseGet(() -> Traceparents.generate(random)),
        Optional.empty(), "", 0, Optional.empty(), createdAt(), Optional.empty(),
        Optional.empty(), Optional.empty());
    return new Pending(request, Optional.empty(), task, inserts.insert(task));
  }

  private Submission finish(Pending p) {
    if (p.seen().isPresent()) {
      return p.seen().get();
    }
    try {
      awaitDurable(p.task(), p.durable());
    } catch (TaskStore.DuplicateTaskException e) {
      // Lost a race with a concurrent submit of the same key: that one's task is the answer.
      TaskRecord winner = store.findByIdempotencyKey(p.request().idempotencyKey().orElseThrow())
          .orElseThrow(() -> e);
      return new Submission(winner.toView(), false);
    }
    dispatcher.enqueue(p.task());
    return new Submission(p.task().toView(), true);
  }

  private static void awaitDurable(TaskRecord task,
      CompletableFuture<Void> durable) {
    try {
      durable.get(COMMIT_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new io.cortexhub.hub.persistence.DatabaseException("cannot insert " + task.id(), e);
    } catch (TimeoutException e) {
      throw new io.cortexhub.hub.persistence.DatabaseException(
          "task " + task.id() + " not committed within " + COMMIT_WAIT_SECONDS + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new io.cortexhub.hub.persistence.DatabaseException(
          "interrupted while storing " + task.id(), e);
    }
  }

  /** Millisecond precision, as stored: the submit answer then equals every later read. */
  private Instant createdAt() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private void validate(TaskRequest r) {
    if (!WorkspaceId.isValid(r.workspace())) {
      throw new InvalidTaskRequestException("workspace: not a workspace name: " + r.workspace());
    }
    WorkspaceId workspace = new WorkspaceId(r.workspace());
    if (workspaces.find(workspace).isEmpty()) {
      throw new InvalidTaskRequestException("workspace: no such workspace: " + workspace);
    }
    if (!workspaces.grants(workspace, r.kind().capability())) {
      throw new InvalidTaskRequestException("capability: workspace " + workspace
          + " does not grant its nodes the capability '" + r.kind().capability() + "'");
    }
    switch (r.kind()) {
      case ECHO -> {
        if (r.echoMessage().getBytes(StandardCharsets.UTF_8).length
            > MAX_ECHO_BYTES) {
          throw new InvalidTaskRequestException("echoMessage: at most 65536 bytes");
        }
      }
      case SHELL -> {
        if (r.argv().isEmpty() || r.argv().get(0).isBlank()) {
          throw new InvalidTaskRequestException("argv: must name an executable in argv[0]");
        }
        int chars = r.argv().stream().mapToInt(String::length).sum()
            + r.env().entrySet().stream().mapToInt(e -> e.getKey().length() + e.getValue().length())
            .sum();
        if (chars > MAX_ARGV_CHARS) {
          throw new InvalidTaskRequestException("argv/env: at most 60000 characters in total");
        }
        if (r.env().keySet().stream().anyMatch(k -> k.isEmpty() || k.contains("="))) {
          throw new InvalidTaskRequestException("env: names must be non-empty and without '='");
        }
        if (r.workingDir().length() > 4096) {
          throw new InvalidTaskRequestException("workingDir: at most 4096 characters");
        }
      }
      case FS -> {
        if (r.fs().isEmpty()) {
          throw new InvalidTaskRequestException("fs: an fs task needs its file operation");
        }
      }
    }
    if (r.kind() != TaskKind.FS && r.fs().isPresent()) {
      throw new InvalidTaskRequestException("fs: only fs tasks carry a file operation");
    }
    r.timeout().ifPresent(t -> {
      if (t.isNegative() || t.isZero() || t.toMillis() > Integer.MAX_VALUE) {
        throw new InvalidTaskRequestException("timeout: must be positive and under 24 days");
      }
    });
    r.idempotencyKey().ifPresent(k -> {
      if (k.isBlank() || k.length() > 256) {
        throw new InvalidTaskRequestException("idempotencyKey: 1 to 256 characters");
      }
    });
    if (r.targetNode().isPresent() && !r.selector().isEmpty()) {
      throw new InvalidTaskRequestException("targetNode and selector: give one, not both");
    }
    r.selector().forEach((k, v) -> {
      if (!LABEL.matcher(k).matches() || v.length() > 256) {
        throw new InvalidTaskRequestException("selector: bad label '" + k + "'");
      }
    });
    if (r.requestedBy().length() > 256) {
      throw new InvalidTaskRequestException("requestedBy: at most 256 characters");
    }
    r.traceparent().ifPresent(tp -> {
      if (!Traceparents.isValid(tp)) {
        throw new InvalidTaskRequestException("traceparent: not a W3C traceparent: " + tp);
      }
    });
    r.targetNode().ifPresent(n -> {
      // A node of another workspace is reported exactly like a missing one: no existence leak.
      if (!knownNode.test(n, workspace)) {
        throw new io.cortexhub.hub.registry.UnknownNodeException(n);
      }
    });
  }

  @Override
  public Optional<TaskView> find(TaskId id) {
    return store.find(id).map(TaskRecord::toView);
  }

  @Override
  public List<TaskView> recent(int limit) {
    return store.recent(Math.max(0, Math.min(limit, 1000))).stream().map(TaskRecord::toView)
        .toList();
  }

  @Override
  public List<TaskView> recent(int limit, WorkspaceScope scope) {
    return store.recent(Math.max(0, Math.min(limit, 1000)), scope).stream()
        .map(TaskRecord::toView).toList();
  }

  @Override
  public TaskView cancel(TaskId id) {
    Optional<TaskRecord> held = dispatcher.cancel(id, "cancelled by request");
    if (held.isPresent()) {
      return held.get().toView();
    }
    TaskRecord stored = store.find(id).orElseThrow(() -> new UnknownTaskException(id));
    if (stored.state().isFinal()) {
      throw new TaskAlreadyFinishedException(stored.toView());
    }
    // Unfinished in the database but not held in memory: only during boot; report as is.
    return stored.toView();
  }
}
