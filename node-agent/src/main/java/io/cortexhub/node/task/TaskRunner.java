package io.cortexhub.node.task;

import io.cortexhub.proto.node.v1.TaskSpec;
import java.nio.file.Path;

/**
 * Runs the tasks of one capability ({@code echo}, {@code shell}).
 *
 * <p>Implementations are thread-safe and never block the caller on the task itself.
 */
public interface TaskRunner {
  /** The capability name this runner serves, as listed in the manifest. */
  String capability();

  /**
   * Starts an admitted task. Reports through {@code events}; may report synchronously (echo).
   *
   * @param defaultWorkDir the task's own directory, used when the spec names none; created on use
   */
  RunningTask start(TaskSpec spec, Path defaultWorkDir, TaskEvents events);
}
