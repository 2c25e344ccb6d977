package io.cortexhub.node.tunnel;

import com.google.protobuf.ByteString;
import io.cortexhub.node.task.RunningTask;
import io.cortexhub.node.task.StopReason;
import io.cortexhub.node.task.TaskEvents;
import io.cortexhub.node.task.TaskResult;
import io.cortexhub.node.task.TaskRunner;
import io.cortexhub.proto.node.v1.OutputStream;
import io.cortexhub.proto.node.v1.TaskOutcome;
import io.cortexhub.proto.node.v1.TaskSpec;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fake {@code shell} runner whose tasks start and then wait for the test to make them print and
 * finish; a stop finishes the task with the stop's outcome, as a real process would.
 */
final class HoldingRunner implements TaskRunner {
  final Map<String, Held> tasks = new ConcurrentHashMap<>();

  static final class Held implements RunningTask {
    final TaskEvents events;
    volatile StopReason stoppedFor;
    volatile java.time.Duration grace;

    Held(TaskEvents events) {
      this.events = events;
    }

    void print(String text) {
      events.output(OutputStream.OUTPUT_STREAM_STDOUT, ByteString.copyFromUtf8(text));
    }

    void exit(int code) {
      events.finished(
          new TaskResult(
              code == 0 ? TaskOutcome.TASK_OUTCOME_SUCCEEDED : TaskOutcome.TASK_OUTCOME_FAILED,
              OptionalInt.of(code),
              1,
              2,
              ""));
    }

    @Override
    public void stop(StopReason reason, String detail, java.time.Duration grace) {
      if (stoppedFor != null) {
        return;
      }
      stoppedFor = reason;
      this.grace = grace;
      events.finished(new TaskResult(reason.outcome(), OptionalInt.empty(), 1, 3, detail));
    }
  }

  @Override
  public String capability() {
    return "shell";
  }

  @Override
  public RunningTask start(TaskSpec spec, Path defaultWorkDir, TaskEvents events) {
    Held h = new Held(events);
    tasks.put(spec.getTaskId(), h);
    events.started(1, 4242);
    return h;
  }
}
