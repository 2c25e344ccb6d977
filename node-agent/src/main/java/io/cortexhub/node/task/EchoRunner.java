package io.cortexhub.node.task;

import io.cortexhub.proto.node.v1.OutputStream;
import io.cortexhub.proto.node.v1.TaskOutcome;
import io.cortexhub.proto.node.v1.TaskSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The {@code echo} capability: sends the payload's message back as one stdout chunk and succeeds.
 *
 * <p>Runs inline on the caller's thread (no process, no thread), which is what lets one JVM simulate
 * thousands of nodes. Thread-safe (stateless).
 */
public final class EchoRunner implements TaskRunner {
  public static final String CAPABILITY = "echo";

  private final Clock clock;

  public EchoRunner(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public String capability() {
    return CAPABILITY;
  }

  @Override
  public RunningTask start(TaskSpec spec, Path defaultWorkDir, TaskEvents events) {
    long started = clock.millis();
    events.started(started, 0);
    // Always exactly one chunk, even for an empty message, so every echo has final_seq 1.
    events.output(OutputStream.OUTPUT_STREAM_STDOUT, spec.getEcho().getMessage());
    events.finished(
        new TaskResult(TaskOutcome.TASK_OUTCOME_SUCCEEDED, OptionalInt.of(0), started, clock.millis(), ""));
    return RunningTask.DONE;
  }
}
