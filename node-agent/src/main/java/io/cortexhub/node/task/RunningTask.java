package io.cortexhub.node.task;

import java.time.Duration;

/**
 * Handle on a task that a {@link TaskRunner} started.
 *
 * <p>Thread-safe. Stopping is asynchronous: the task still reports {@link TaskEvents#finished}.
 */
public interface RunningTask {
  /**
   * Asks the task to stop: SIGTERM to its process group now, SIGKILL to the whole tree after
   * {@code grace}. Only the first call counts; a call after the task ended does nothing.
   */
  void stop(StopReason reason, String detail, Duration grace);

  /** A task that already finished while being started (echo, or a start failure). */
  RunningTask DONE = (reason, detail, grace) -> {};
}
