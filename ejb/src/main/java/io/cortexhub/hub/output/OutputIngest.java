package io.cortexhub.hub.output;

import io.cortexhub.hub.connector.api.NodeConnectionFactory;
import io.cortexhub.hub.connector.inbound.OutputChunkEvent;
import io.cortexhub.hub.dispatch.TaskId;
import io.cortexhub.hub.dispatch.TaskProgressListener;
import io.cortexhub.hub.dispatch.TaskRecord;
import io.cortexhub.hub.dispatch.TaskStore;
import io.cortexhub.hub.journal.CommitListener;
import io.cortexhub.hub.journal.Journal;
import io.cortexhub.hub.journal.JournalEntry;
import io.cortexhub.hub.registry.NodeId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The write side of task output: deduplicates incoming chunks by (task, seq), journals new ones,
 * and once a batch is committed sends each node a cumulative OutputAck (highest contiguous stored
 * seq), publishes the chunks to subscribers, and announces a finished task once its output is
 * complete up to its final seq.
 *
 * <p>Per-task progress is kept in memory while a task is live and rebuilt from the database on
 * first sight after a boot. Thread-safe.
 */
public final class OutputIngest implements CommitListener, TaskProgressListener {
  private static final Logger LOG = Logger.getLogger(OutputIngest.class.getName());

  /** Progress of one task's output; guarded by its own monitor. */
  private static final class Tracker {
    /** The node the task was dispatched to: the only one whose output for it is accepted. */
    NodeId node;
    long accepted;
    final TreeSet<Long> acceptedAbove = new TreeSet<>();
    long committed;
    final TreeSet<Long> committedAbove = new TreeSet<>();
    TaskRecord finalRecord;
    boolean announced;

    boolean accept(long seq) {
      if (seq <= accepted || acceptedAbove.contains(seq)) {
        return false;
      }
      acceptedAbove.add(seq);
      while (acceptedAbove.remove(accepted + 1)) {
        accepted++;
      }
      return true;
    }

    void commit(long seq) {
      if (seq > committed) {
        committedAbove.add(seq);
      }
      while (committedAbove.remove(committed + 1)) {
        committed++;
      }
    }

    boolean complete() {
      return finalRecord != null
          && finalRecord.finalSeq().map(f -> committed >= f).orElse(true);
    }
  }

  private final Journal journal;
  private final TaskStore tasks;
  private final OutputStore store;
  private final NodeConnectionFactory connections;
  private final OutputBroadcaster broadcaster;
  private final Map<TaskId, Tracker> trackers = new ConcurrentHashMap<>();

  public OutputIngest(Journal journal, TaskStore tasks, OutputStore store,
      NodeConnectionFactory connections, OutputBroadcaster broadcaster) {
    this.journal = journal;
    this.tasks = Objects.requireNonNull(tasks, "tasks");
    this.store = Objects.requireNonNull(store, "store");
    this.connections = Objects.requireNonNull(connections, "connections");
    this.broadcaster = Objects.requireNonNull(broadcaster, "broadcaster");
  }

  /** Chunks from a node: new ones are journalled, duplicates re-acknowledged. */
  public void accept(NodeId node, List<OutputChunkEvent> chunks) {
    Map<TaskId, Long> reAck = new LinkedHashMap<>();
    for (OutputChunkEvent ch : chunks) {
      TaskId id = new TaskId(ch.taskId());
      Tracker t = tracker(id);
      if (t == null) {
        LOG.warning(() -> "node=" + node + " sent output for unknown task=" + id + "; dropped");
        continue;
      }
      boolean fresh;
      synchronized (t) {
        if (!node.equals(t.node)) {
          // Another node (or a task never dispatched) must not be able to write into this output.
          LOG.warning(() -> "node=" + node + " sent output for task=" + id + " dispatched to "
              + t.node + "; dropped");
          continue;
        }
        fresh = t.accept(ch.seq());
        if (!fresh && ch.seq() <= t.committed) {
          reAck.put(id, t.committed);
        }
      }
      if (fresh) {
        journal.append(new JournalEntry.OutputAppend(ch));
      }
    }
    reAck.forEach((id, seq) -> connections.connectionTo(node).ifPresent(c -> c.ackOutput(id, seq)));
  }

  @Override
  public void outputCommitted(List<OutputChunkEvent> chunks) {
    Map<TaskId, List<OutputRecord>> byTask = new LinkedHashMap<>();
    for (OutputChunkEvent ch : chunks) {
      byTask.computeIfAbsent(new TaskId(ch.taskId()), k -> new ArrayList<>())
          .add(new OutputRecord(new TaskId(ch.taskId()), ch.seq(), ch.stream(), ch.data(),
              Instant.ofEpochMilli(ch.producedAtUnixMs())));
    }
    for (var e : byTask.entrySet()) {
      Tracker t = trackers.get(e.getKey());
      if (t == null) {
        continue;
      }
      long ack;
      NodeId node;
      synchronized (t) {
        e.getValue().forEach(r -> t.commit(r.seq()));
        ack = t.committed;
        node = t.node;
      }
      if (node != null && ack > 0) {
        connections.connectionTo(node).ifPresent(c -> c.ackOutput(e.getKey(), ack));
      }
      broadcaster.publish(e.getKey(), e.getValue());
      announceIfComplete(e.getKey(), t);
    }
  }

  @Override
  public void taskDispatched(TaskRecord task) {
    Tracker t = new Tracker();
    t.node = task.node().orElse(null);
    Tracker existing = trackers.putIfAbsent(task.id(), t);
    if (existing != null) {
      synchronized (existing) {
        existing.node = t.node;
      }
    }
  }

  @Override
  public void taskFinal(TaskRecord task) {
    Tracker t = tracker(task.id());
    if (t == null) {
      broadcaster.finished(task.toView());
      return;
    }
    synchronized (t) {
      t.finalRecord = task;
    }
    announceIfComplete(task.id(), t);
  }

  @Override
  public long storedThrough(TaskId task) {
    Tracker t = tracker(task);
    if (t == null) {
      return 0;
    }
    synchronized (t) {
      return t.committed;
    }
  }

  private void announceIfComplete(TaskId id, Tracker t) {
    TaskRecord done;
    synchronized (t) {
      if (t.announced || !t.complete()) {
        return;
      }
      t.announced = true;
      done = t.finalRecord.withOutputSeq(t.committed);
    }
    trackers.remove(id, t);
    broadcaster.finished(done.toView());
  }

  /** The tracker of a task, rebuilt from the database when absent; null for an unknown task. */
  private Tracker tracker(TaskId id) {
    Tracker t = trackers.get(id);
    if (t != null) {
      return t;
    }
    Optional<TaskRecord> record = tasks.find(id);
    if (record.isEmpty()) {
      return null;
    }
    Tracker loaded = new Tracker();
    loaded.node = record.get().node().orElse(null);
    for (long seq : store.storedSeqs(id, 0)) {
      loaded.accept(seq);
      loaded.commit(seq);
    }
    Tracker raced = trackers.putIfAbsent(id, loaded);
    return raced != null ? raced : loaded;
  }
}
