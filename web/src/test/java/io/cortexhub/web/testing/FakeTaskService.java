package io.cortexhub.web.testing;

import io.cortexhub.hub.dispatch.TaskAlreadyFinishedException;
import io.cortexhub.hub.dispatch.Submission;
import io.cortexhub.hub.dispatch.TaskId;
import io.cortexhub.hub.dispatch.TaskRequest;
import io.cortexhub.hub.dispatch.TaskService;
import io.cortexhub.hub.dispatch.TaskState;
import io.cortexhub.hub.dispatch.TaskView;
import io.cortexhub.hub.dispatch.UnknownTaskException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * In-memory {@link TaskService}: stores tasks as QUEUED at the clock's instant, honours idempotency
 * keys, cancels non-final tasks at once. Remembers every request it was given. Not thread-safe.
 */
public final class FakeTaskService implements TaskService {

  private final Clock clock;
  private final Map<TaskId, TaskView> tasks = new LinkedHashMap<>();
  private final Map<String, TaskId> byKey = new HashMap<>();
  private final List<TaskRequest> requests = new ArrayList<>();
  private int next = 1;

  public FakeTaskService(Clock clock) {
    this.clock = clock;
  }

  /** Stores a task as it is, replacing one with the same id. */
  public void put(TaskView task) {
    tasks.put(task.id(), task);
  }

  public List<TaskRequest> requests() {
    return List.copyOf(requests);
  }

  @Override
  public Submission submit(TaskRequest request) {
    requests.add(request);
    Optional<TaskId> previous = request.idempotencyKey().map(byKey::get);
    if (previous.isPresent()) {
      return new Submission(tasks.get(previous.get()), false);
    }
    TaskView task = Views.queued(new TaskId("t-" + next++), request, clock.instant());
    tasks.put(task.id(), task);
    request.idempotencyKey().ifPresent(key -> byKey.put(key, task.id()));
    return new Submission(task, true);
  }

  @Override
  public Optional<TaskView> find(TaskId id) {
    return Optional.ofNullable(tasks.get(id));
  }

  @Override
  public List<TaskView> recent(int limit) {
    return tasks.values().stream()
        .sorted(Comparator.comparing(TaskView::createdAt).reversed())
        .limit(limit)
        .toList();
  }

  @Override
  public TaskView cancel(TaskId id) {
    TaskView task = find(id).orElseThrow(() -> new UnknownTaskException(id));
    if (task.state().isFinal()) {
      throw new TaskAlreadyFinishedException(task);
    }
    TaskView cancelled = new TaskView(task.id(), task.kind(), task.workspace(), TaskState.CANCELLED, task.node(),
        task.argv(), task.fs(), task.selector(), task.exitCode(), "cancelled by request", task.outputSeq(),
        task.createdAt(), task.dispatchedAt(), task.startedAt(), Optional.of(clock.instant()),
        task.idempotencyKey(), task.traceparent());
    tasks.put(id, cancelled);
    return cancelled;
  }
}
