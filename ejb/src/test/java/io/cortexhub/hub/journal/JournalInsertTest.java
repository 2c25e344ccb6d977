package io.cortexhub.hub.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cortexhub.hub.dispatch.JdbcTaskStore;
import io.cortexhub.hub.dispatch.TaskId;
import io.cortexhub.hub.dispatch.TaskKind;
import io.cortexhub.hub.dispatch.TaskRecord;
import io.cortexhub.hub.dispatch.TaskState;
import io.cortexhub.hub.dispatch.TaskStore;
import io.cortexhub.hub.dispatch.TaskUpdate;
import io.cortexhub.hub.output.JdbcOutputStore;
import io.cortexhub.hub.persistence.DatabaseException;
import io.cortexhub.hub.registry.NodeId;
import io.cortexhub.hub.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** New tasks group-committed by the journal, on H2 and (when configured) PostgreSQL. */
class JournalInsertTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private TestDatabase db;
  private Journal journal;

  private GatedDataSource open(TestDatabase.Kind kind) {
    assumeTrue(kind == TestDatabase.Kind.H2 || TestDatabase.postgresUrl() != null,
        "CORTEX_TEST_PG_URL not set");
    db = TestDatabase.create(kind);
    GatedDataSource gated = new GatedDataSource(db.dataSource());
    JdbcTaskStore tasks = new JdbcTaskStore(gated.dataSource());
    journal = new Journal(gated.dataSource(), tasks, new JdbcOutputStore(gated.dataSource()),
        chunks -> { }, 500, 1000);
    return gated;
  }

  @AfterEach
  void close() throws Exception {
    if (journal != null) {
      journal.stop(Duration.ofSeconds(5));
    }
    if (db != null) {
      db.close();
    }
  }

  private static TaskRecord task(String id, String key) {
    return new TaskRecord(new TaskId(id), TaskKind.ECHO, "default", TaskState.QUEUED, Optional.empty(),
        Optional.empty(), Map.of(), "hi", List.of(), Map.of(), "", Optional.empty(), Duration.ofSeconds(9),
        Duration.ofSeconds(2), Optional.ofNullable(key), "tester",
        "00-0123456789abcdef0123456789abcdef-0123456789abcdef-01", Optional.empty(), "", 0,
        Optional.empty(), T0, Optional.empty(), Optional.empty(), Optional.empty());
  }

  private List<String> storedIds() {
    return new JdbcTaskStore(db.dataSource()).recent(1000).stream().map(t -> t.id().value())
        .toList();
  }

  private static Throwable failureOf(CompletableFuture<Void> f) {
    assertThat(f).isCompletedExceptionally();
    try {
      f.get();
      throw new AssertionError("not failed");
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.Kind.class)
  void concurrentInserts_shareOneTransaction_andCompleteOnlyAfterTheCommit(TestDatabase.Kind kind)
      throws Exception {
    GatedDataSource gated = open(kind).holdFirstConnection();
    journal.start(Executors.defaultThreadFactory());

    CompletableFuture<Void> first = journal.insert(task("t0", null));
    assertThat(gated.firstEntered.await(10, TimeUnit.SECONDS)).isTrue();
    List<CompletableFuture<Void>> waiting = new ArrayList<>();
    for (int i = 1; i <= 49; i++) {
      waiting.add(journal.insert(task("t" + i, "k" + i)));
    }
    assertThat(journal.backlog()).isEqualTo(49);
    assertThat(waiting).noneMatch(CompletableFuture::isDone);
    assertThat(first).isNotDone();
    gated.release.countDown();

    CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    first.get(10, TimeUnit.SECONDS);
    assertThat(gated.connections.get()).as("transactions for 50 inserts").isEqualTo(2);
    assertThat(storedIds()).hasSize(50);
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.Kind.class)
  void duplicateKeysInABatch_failOnlyTheirOwnRows(TestDatabase.Kind kind) {
    open(kind);
    journal.insert(task("old", "taken")).join();
    NodeId node = new NodeId("n1");
    CompletableFuture<Void> winner = new CompletableFuture<>();
    CompletableFuture<Void> sameBatchDuplicate = new CompletableFuture<>();
    CompletableFuture<Void> earlierDuplicate = new CompletableFuture<>();
    CompletableFuture<Void> keyless = new CompletableFuture<>();
    journal.append(new JournalEntry.TaskInsert(task("a", "k"), winner));
    journal.append(new JournalEntry.TaskInsert(task("b", "k"), sameBatchDuplicate));
    journal.append(new JournalEntry.TaskInsert(task("c", "taken"), earlierDuplicate));
    journal.append(new JournalEntry.TaskInsert(task("d", null), keyless));
    journal.append(TaskUpdate.dispatched(new TaskId("old"), node, T0.plusSeconds(1)), null);

    assertThat(journal.flush()).isEqualTo(3);

    assertThat(winner).isCompleted();
    assertThat(keyless).isCompleted();
    assertThat(failureOf(sameBatchDuplicate)).isInstanceOf(TaskStore.DuplicateTaskException.class);
    assertThat(failureOf(earlierDuplicate)).isInstanceOf(TaskStore.DuplicateTaskException.class);
    assertThat(storedIds()).containsExactlyInAnyOrder("old", "a", "d");
    assertThat(new JdbcTaskStore(db.dataSource()).find(new TaskId("old")).orElseThrow().state())
        .isEqualTo(TaskState.DISPATCHED);
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.Kind.class)
  void failedBatch_failsOnlyItsOwnInserts_andKeepsItsTransitionsForTheRetry(
      TestDatabase.Kind kind) {
    GatedDataSource gated = open(kind);
    journal.insert(task("old", null)).join();
    CompletableFuture<Void> a = new CompletableFuture<>();
    CompletableFuture<Void> b = new CompletableFuture<>();
    journal.append(new JournalEntry.TaskInsert(task("a", "ka"), a));
    journal.append(new JournalEntry.TaskInsert(task("b", null), b));
    journal.append(TaskUpdate.dispatched(new TaskId("old"), new NodeId("n1"), T0), null);
    gated.failNextConnection();

    assertThatThrownBy(journal::flush).isInstanceOf(DatabaseException.class);
    assertThat(failureOf(a)).isInstanceOf(DatabaseException.class);
    assertThat(failureOf(b)).isInstanceOf(DatabaseException.class);
    assertThat(journal.backlog()).as("the transition waits for the retry").isEqualTo(1);

    CompletableFuture<Void> later = new CompletableFuture<>();
    journal.append(new JournalEntry.TaskInsert(task("c", "ka"), later));
    assertThat(journal.flush()).isEqualTo(2);
    assertThat(later).isCompleted();
    assertThat(storedIds()).containsExactlyInAnyOrder("old", "c");
    assertThat(new JdbcTaskStore(db.dataSource()).find(new TaskId("old")).orElseThrow().state())
        .isEqualTo(TaskState.DISPATCHED);
  }
}
