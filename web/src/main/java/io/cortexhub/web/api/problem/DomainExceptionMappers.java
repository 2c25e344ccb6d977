package io.cortexhub.web.api.problem;

import io.cortexhub.hub.audit.AuditUnavailableException;
import io.cortexhub.hub.dispatch.InvalidTaskRequestException;
import io.cortexhub.hub.dispatch.TaskAlreadyFinishedException;
import io.cortexhub.hub.dispatch.UnknownTaskException;
import io.cortexhub.hub.registry.UnknownNodeException;
import jakarta.ws.rs.ext.Provider;
import java.util.List;

/**
 * The mappers of the hub's domain exceptions: each exception type is one {@link ProblemType}, and its
 * message (which names the node, task or field concerned) is the problem's detail.
 */
public final class DomainExceptionMappers {

  private DomainExceptionMappers() {}

  /** Every mapper declared here, for registration with the JAX-RS application. */
  public static List<Class<?>> all() {
    return List.of(
        UnknownNodeMapper.class,
        UnknownTaskMapper.class,
        InvalidTaskRequestMapper.class,
        TaskAlreadyFinishedMapper.class,
        AuditUnavailableMapper.class);
  }

  /** {@link UnknownNodeException} → 404 unknown-node. */
  @Provider
  public static final class UnknownNodeMapper extends ProblemMapper<UnknownNodeException> {
    @Override
    protected Problem problemFor(UnknownNodeException exception) {
      return ProblemType.UNKNOWN_NODE.problem(exception.getMessage());
    }
  }

  /** {@link UnknownTaskException} → 404 unknown-task. */
  @Provider
  public static final class UnknownTaskMapper extends ProblemMapper<UnknownTaskException> {
    @Override
    protected Problem problemFor(UnknownTaskException exception) {
      return ProblemType.UNKNOWN_TASK.problem(exception.getMessage());
    }
  }

  /** {@link InvalidTaskRequestException} → 400 invalid-request. */
  @Provider
  public static final class InvalidTaskRequestMapper
      extends ProblemMapper<InvalidTaskRequestException> {
    @Override
    protected Problem problemFor(InvalidTaskRequestException exception) {
      return ProblemType.INVALID_REQUEST.problem(exception.getMessage());
    }
  }

  /** {@link TaskAlreadyFinishedException} → 409 task-already-finished. */
  @Provider
  public static final class TaskAlreadyFinishedMapper
      extends ProblemMapper<TaskAlreadyFinishedException> {
    @Override
    protected Problem problemFor(TaskAlreadyFinishedException exception) {
      return ProblemType.TASK_ALREADY_FINISHED.problem(exception.getMessage());
    }
  }

  /** {@link AuditUnavailableException} → 503 node-unavailable. */
  @Provider
  public static final class AuditUnavailableMapper
      extends ProblemMapper<AuditUnavailableException> {
    @Override
    protected Problem problemFor(AuditUnavailableException exception) {
      return ProblemType.NODE_UNAVAILABLE.problem(exception.getMessage());
    }
  }
}
