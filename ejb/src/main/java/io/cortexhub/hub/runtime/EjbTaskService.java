package io.cortexhub.hub.runtime;

import io.cortexhub.hub.dispatch.Submission;
import io.cortexhub.hub.dispatch.SubmitOutcome;
import io.cortexhub.hub.dispatch.TaskId;
import io.cortexhub.hub.dispatch.TaskRequest;
import io.cortexhub.hub.dispatch.TaskService;
import io.cortexhub.hub.dispatch.TaskView;
import io.cortexhub.hub.workspace.WorkspaceScope;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.util.List;
import java.util.Optional;

/**
 * {@link TaskService} EJB. Runs outside a JTA transaction on purpose: the insert commits on its
 * own (so the task is durable before the call returns), and an idempotency-key conflict must not
 * poison an enclosing transaction (PostgreSQL aborts a transaction after any error).
 *
 * <p>A bean-managed-concurrency singleton rather than a pooled stateless bean: it holds no state
 * (everything is delegated to the thread-safe {@link HubRuntime#core()}), so there is no instance
 * to take from a pool per call.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class EjbTaskService implements TaskService {
  @EJB
  private HubRuntime runtime;

  @Override
  public Submission submit(TaskRequest request) {
    return runtime.core().tasks().submit(request);
  }

  @Override
  public List<SubmitOutcome> submitAll(List<TaskRequest> requests) {
    return runtime.core().tasks().submitAll(requests);
  }

  @Override
  public Optional<TaskView> find(TaskId id) {
    return runtime.core().tasks().find(id);
  }

  @Override
  public List<TaskView> recent(int limit) {
    return runtime.core().tasks().recent(limit);
  }

  @Override
  public TaskView cancel(TaskId id) {
    return runtime.core().tasks().cancel(id);
  }

  @Override
  public Optional<TaskView> find(TaskId id, WorkspaceScope scope) {
    return runtime.core().tasks().find(id, scope);
  }

  @Override
  public List<TaskView> recent(int limit, WorkspaceScope scope) {
    return runtime.core().tasks().recent(limit, scope);
  }

  @Override
  public TaskView cancel(TaskId id, WorkspaceScope scope) {
    return runtime.core().tasks().cancel(id, scope);
  }
}
