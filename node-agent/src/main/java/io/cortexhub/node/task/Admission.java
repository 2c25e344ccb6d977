package io.cortexhub.node.task;

import io.cortexhub.proto.node.v1.RejectReason;
import io.cortexhub.proto.node.v1.TaskSpec;
import java.util.Objects;

/** The outcome of {@link TaskAdmission#decide}: take the task, or refuse it with a reason. */
public sealed interface Admission {
  /** The task passed every check; a slot is to be reserved for it. */
  record Accept(TaskSpec spec) implements Admission {
    public Accept {
      Objects.requireNonNull(spec, "spec");
    }
  }

  /**
   * The task is refused. {@code taskId} is empty when the bytes could not even be parsed.
   */
  record Reject(String taskId, RejectReason reason, String detail) implements Admission {
    public Reject {
      Objects.requireNonNull(taskId, "taskId");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }
  }
}
