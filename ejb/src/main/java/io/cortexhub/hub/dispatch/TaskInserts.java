package io.cortexhub.hub.dispatch;

import java.util.concurrent.CompletableFuture;

/**
 * Makes new tasks durable, possibly in one transaction with other submits and transitions.
 *
 * <p>Why a role of its own: the submit path must not pay a commit per task, so the journal groups
 * inserts, while tests and boot may insert directly. Contract: the returned future completes
 * normally only once the row is committed; exceptionally with {@link
 * TaskStore.DuplicateTaskException} when the idempotency key is already taken (nothing inserted),
 * or with {@link io.cortexhub.hub.persistence.DatabaseException} when the write failed (nothing
 * inserted). Implementations are thread-safe.
 */
@FunctionalInterface
public interface TaskInserts {
  CompletableFuture<Void> insert(TaskRecord task);
}
