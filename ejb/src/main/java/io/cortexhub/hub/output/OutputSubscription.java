package io.cortexhub.hub.output;

/** A live subscription to a task's output; closing it stops delivery. Idempotent. */
public interface OutputSubscription extends AutoCloseable {
  @Override
  void close();
}
