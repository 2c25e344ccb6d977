package io.cortexhub.node.tunnel;

import io.cortexhub.node.audit.Checkpoint;
import io.cortexhub.node.audit.CheckpointSink;
import java.util.Objects;

/**
 * The audit log's {@link CheckpointSink} before the agent that sends checkpoints to the hub exists:
 * the log must be open before the agent is built (the agent records into it), so the log is given
 * this relay and the agent is plugged in afterwards ({@link #forwardTo}).
 *
 * <p>A checkpoint written before that is not lost: the agent starts from the log's latest
 * checkpoint. Thread-safe.
 */
public final class CheckpointRelay implements CheckpointSink {
  private volatile CheckpointSink target = CheckpointSink.none();

  /** From now on, every checkpoint goes to {@code sink} (usually {@link NodeAgent#checkpointSink()}). */
  public void forwardTo(CheckpointSink sink) {
    this.target = Objects.requireNonNull(sink, "sink");
  }

  @Override
  public void checkpoint(Checkpoint c) {
    target.checkpoint(c);
  }
}
