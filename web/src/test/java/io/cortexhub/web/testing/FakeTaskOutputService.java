package io.cortexhub.web.testing;

import io.cortexhub.hub.dispatch.TaskId;
import io.cortexhub.hub.dispatch.TaskView;
import io.cortexhub.hub.dispatch.UnknownTaskException;
import io.cortexhub.hub.output.OutputListener;
import io.cortexhub.hub.output.OutputRecord;
import io.cortexhub.hub.output.OutputStreamKind;
import io.cortexhub.hub.output.OutputSubscription;
import io.cortexhub.hub.output.TaskOutputService;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * In-memory {@link TaskOutputService}. {@link #subscribe} replays synchronously; a test then drives
 * live delivery with {@link #emit} and {@link #finish}. Not thread-safe.
 */
public final class FakeTaskOutputService implements TaskOutputService {

  private final Map<TaskId, List<OutputRecord>> stored = new HashMap<>();
  private final List<Subscription> subscriptions = new ArrayList<>();

  /** Declares a task (with no output yet) so reads and subscriptions to it succeed. */
  public void declare(TaskId task) {
    stored.computeIfAbsent(task, t -> new ArrayList<>());
  }

  /** Stores a chunk and delivers it to the open subscriptions of its task. */
  public OutputRecord emit(TaskId task, OutputStreamKind stream, String text) {
    List<OutputRecord> chunks = stored.computeIfAbsent(task, t -> new ArrayList<>());
    OutputRecord chunk = new OutputRecord(task, chunks.size() + 1, stream,
        text.getBytes(StandardCharsets.UTF_8), Views.T0);
    chunks.add(chunk);
    subscriptions.stream().filter(s -> s.open && s.task.equals(task))
        .forEach(s -> s.listener.onChunk(chunk));
    return chunk;
  }

  public void finish(TaskView task) {
    subscriptions.stream().filter(s -> s.open && s.task.equals(task.id()))
        .forEach(s -> s.listener.onFinished(task));
  }

  public void overflow(TaskId task) {
    subscriptions.stream().filter(s -> s.open && s.task.equals(task))
        .forEach(s -> s.listener.onOverflow());
  }

  /** How many subscriptions are still open. */
  public long openSubscriptions() {
    return subscriptions.stream().filter(s -> s.open).count();
  }

  @Override
  public List<OutputRecord> read(TaskId task, long afterSeq, int limit) {
    return chunks(task).stream().filter(c -> c.seq() > afterSeq).limit(limit).toList();
  }

  @Override
  public OutputSubscription subscribe(TaskId task, long afterSeq, OutputListener listener) {
    Subscription subscription = new Subscription(task, listener);
    subscriptions.add(subscription);
    read(task, afterSeq, Integer.MAX_VALUE).forEach(listener::onChunk);
    return subscription;
  }

  private List<OutputRecord> chunks(TaskId task) {
    List<OutputRecord> chunks = stored.get(task);
    if (chunks == null) {
      throw new UnknownTaskException(task);
    }
    return chunks;
  }

  private static final class Subscription implements OutputSubscription {
    final TaskId task;
    final OutputListener listener;
    boolean open = true;

    Subscription(TaskId task, OutputListener listener) {
      this.task = task;
      this.listener = listener;
    }

    @Override
    public void close() {
      open = false;
    }
  }
}
