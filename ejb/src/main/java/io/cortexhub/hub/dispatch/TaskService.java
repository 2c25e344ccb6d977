package io.cortexhub.hub.dispatch;

import io.cortexhub.hub.workspace.WorkspaceScope;
import java.util.List;
import java.util.Optional;

/**
 * Submitting, reading and cancelling tasks.
 *
 * <p>Implementations are container-managed, transactional and thread-safe. A submitted task is
 * durably stored before this method returns; routing and sending to the node happen afterwards and
 * never block the caller on a slow node.
 */
public interface TaskService {

  /**
   * Stores the task as QUEUED and schedules its dispatch. If the request carries an idempotency key
   * that was seen before, returns the task created then (with {@code created == false}) and creates
   * nothing.
   *
   * @throws InvalidTaskRequestException when a field is missing or out of range
   * @throws io.cortexhub.hub.registry.UnknownNodeException when targeted at a node never seen
   */
  Submission submit(TaskRequest request);

  /**
   * Submits several tasks at once, each as {@link #submit} would (its own idempotency key, its own
   * validation), and answers one outcome per request in the same order. Implementations store them
   * together (one commit) where they can; this default submits one after the other.
   */
  default List<SubmitOutcome> submitAll(List<TaskRequest> requests) {
    List<SubmitOutcome> out = new java.util.ArrayList<>(requests.size());
    for (TaskRequest r : requests) {
      try {
        out.add(new SubmitOutcome.Accepted(submit(r)));
      } catch (RuntimeException e) {
        out.add(new SubmitOutcome.Refused(e));
      }
    }
    return out;
  }

  /** The task, whatever its workspace (internal callers). */
  Optional<TaskView> find(TaskId id);

  /** The task if it belongs to a workspace in {@code scope}; otherwise empty, as if unknown. */
  default Optional<TaskView> find(TaskId id, WorkspaceScope scope) {
    return find(id).filter(t -> scope.includes(t.workspace()));
  }

  /** The most recently created tasks of every workspace, newest first. */
  List<TaskView> recent(int limit);

  /** The most recently created tasks of the workspaces in {@code scope}, newest first. */
  default List<TaskView> recent(int limit, WorkspaceScope scope) {
    return recent(limit).stream().filter(t -> scope.includes(t.workspace())).toList();
  }

  /**
   * Cancels a task: a QUEUED task becomes CANCELLED at once; a DISPATCHED or RUNNING one is asked to
   * stop on its node and becomes CANCELLED when the node confirms (or LOST if the node is gone).
   *
   * @throws UnknownTaskException when no such task exists
   * @throws TaskAlreadyFinishedException when the task is in a final state
   */
  TaskView cancel(TaskId id);

  /**
   * Cancels a task of a workspace in {@code scope}, as {@link #cancel(TaskId)}.
   *
   * @throws UnknownTaskException when no such task exists in the scope (another workspace's task
   *     is reported exactly like a missing one)
   * @throws TaskAlreadyFinishedException when the task is in a final state
   */
  default TaskView cancel(TaskId id, WorkspaceScope scope) {
    find(id, scope).orElseThrow(() -> new UnknownTaskException(id));
    return cancel(id);
  }
}
