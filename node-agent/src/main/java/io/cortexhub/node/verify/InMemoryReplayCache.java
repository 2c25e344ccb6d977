package io.cortexhub.node.verify;

import com.google.protobuf.ByteString;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * A replay cache that lives only as long as the process: for simulated nodes and tests. A real node
 * uses {@link FileReplayCache}, which survives restarts.
 *
 * <p>Thread-safe (synchronized; the node checks one assignment at a time anyway).
 */
public final class InMemoryReplayCache implements ReplayCache {
  private final Clock clock;
  private final Map<ByteString, Long> retainUntil = new HashMap<>();
  private final PriorityQueue<Map.Entry<ByteString, Long>> byExpiry =
      new PriorityQueue<>(Comparator.comparingLong(Map.Entry::getValue));

  public InMemoryReplayCache(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public synchronized boolean firstUse(ByteString nonce, Instant until) {
    checkLength(nonce);
    prune();
    if (retainUntil.containsKey(nonce)) {
      return false;
    }
    long ms = until.toEpochMilli();
    retainUntil.put(nonce, ms);
    byExpiry.add(Map.entry(nonce, ms));
    return true;
  }

  @Override
  public synchronized int size() {
    prune();
    return retainUntil.size();
  }

  @Override
  public void close() {
    // nothing to release
  }

  private void prune() {
    long now = clock.millis();
    while (!byExpiry.isEmpty() && byExpiry.peek().getValue() < now) {
      retainUntil.remove(byExpiry.poll().getKey());
    }
  }

  static void checkLength(ByteString nonce) {
    Objects.requireNonNull(nonce, "nonce");
    if (nonce.size() != NONCE_LENGTH) {
      throw new IllegalArgumentException("a nonce has " + NONCE_LENGTH + " bytes, got " + nonce.size());
    }
  }
}
