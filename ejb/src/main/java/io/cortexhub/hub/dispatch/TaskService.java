package io.cortexhub.hub.dispatch;

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

  Optional<TaskView> find(TaskId id);

  /** The most recently created tasks, newest first. */
  List<TaskView> recent(int limit);

  /**
   * Cancels a task: a QUEUED task becomes CANCELLED at once; a DISPATCHED or RUNNING one is asked to
   * stop on its node and becomes CANCELLED when the node confirms (or LOST if the node is gone).
   *
   * @throws UnknownTaskException when no such task exists
   * @throws TaskAlreadyFinishedException when the task is in a final state
   */
  TaskView cancel(TaskId id);
}
