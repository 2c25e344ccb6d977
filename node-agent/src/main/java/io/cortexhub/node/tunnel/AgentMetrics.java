package io.cortexhub.node.tunnel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one agent, or shared by all nodes of a simulation for its status line.
 *
 * <p>Thread-safe.
 */
public final class AgentMetrics {
  private final AtomicInteger connected = new AtomicInteger();
  private final LongAdder sessions = new LongAdder();
  private final LongAdder disconnects = new LongAdder();
  private final LongAdder accepted = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder finished = new LongAdder();
  private final LongAdder heartbeats = new LongAdder();

  void sessionOpened() {
    connected.incrementAndGet();
    sessions.increment();
  }

  void sessionClosed(boolean wasOpen) {
    if (wasOpen) {
      connected.decrementAndGet();
    }
    disconnects.increment();
  }

  void taskAccepted() {
    accepted.increment();
  }

  void taskRejected() {
    rejected.increment();
  }

  void taskFinished() {
    finished.increment();
  }

  void heartbeatSent() {
    heartbeats.increment();
  }

  /** Sessions currently welcomed by the hub. */
  public int connected() {
    return connected.get();
  }

  public long sessions() {
    return sessions.sum();
  }

  public long disconnects() {
    return disconnects.sum();
  }

  public long accepted() {
    return accepted.sum();
  }

  public long rejected() {
    return rejected.sum();
  }

  public long finished() {
    return finished.sum();
  }

  public long heartbeats() {
    return heartbeats.sum();
  }
}
