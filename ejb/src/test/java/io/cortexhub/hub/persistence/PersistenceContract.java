package io.cortexhub.hub.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortexhub.hub.connector.inbound.NodeHello;
import io.cortexhub.hub.connector.inbound.OutputChunkEvent;
import io.cortexhub.hub.dispatch.FsOperation;
import io.cortexhub.hub.dispatch.JdbcTaskStore;
import io.cortexhub.hub.dispatch.TaskId;
import io.cortexhub.hub.dispatch.TaskKind;
import io.cortexhub.hub.dispatch.TaskRecord;
import io.cortexhub.hub.dispatch.TaskState;
import io.cortexhub.hub.dispatch.TaskStore;
import io.cortexhub.hub.dispatch.TaskUpdate;
import io.cortexhub.hub.journal.Journal;
import io.cortexhub.hub.journal.JournalEntry;
import io.cortexhub.hub.output.JdbcOutputStore;
import io.cortexhub.hub.output.OutputRecord;
import io.cortexhub.hub.output.OutputStreamKind;
import io.cortexhub.hub.registry.JpaNodeStore;
import io.cortexhub.hub.registry.NodeId;
import io.cortexhub.hub.registry.NodeState;
import io.cortexhub.hub.registry.NodeView;
import io.cortexhub.hub.testing.TestDatabase;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The persistence tests, run against every database the hub supports: H2 always, PostgreSQL when
 * {@code CORTEX_TEST_PG_URL} is set (see the subclasses). Each test gets a fresh schema.
 */
abstract class PersistenceContract {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  TestDatabase db;
  TaskStore tasks;
  JdbcOutputStore output;
  final List<List<OutputChunkEvent>> committed = new ArrayList<>();
  Journal journal;

  abstract TestDatabase.Kind kind();

  @BeforeEach
  void open() {
    db = TestDatabase.create(kind());
    tasks = new JdbcTaskStore(db.dataSource());
    output = new JdbcOutputStore(db.dataSource());
    journal = new Journal(db.dataSource(), tasks, output, committed::add, 3, 100);
  }

  @AfterEach
  void close() throws Exception {
    if (db != null) {
      db.close();
    }
  }

  static TaskRecord task(String id, Optional<String> key) {
    return new TaskRecord(new TaskId(id), TaskKind.SHELL, "default", TaskState.QUEUED, Optional.empty(),
        Optional.empty(), Map.of("zone", "a&b=c"), "", List.of("sh", "-c", "echo 'ä' && x=1", ""),
        Map.of("A", "1=2", "É", ""), "/tmp", Optional.empty(), Duration.ofSeconds(9), Duration.ofSeconds(2), key,
        "tester", "00-0123456789abcdef0123456789abcdef-0123456789abcdef-01", Optional.empty(), "",
        0, Optional.empty(), T0, Optional.empty(), Optional.empty(), Optional.empty());
  }

  @Test
  void migrationIsRepeatable_andLeavesTheSchemaAtTheNewestVersion() throws Exception {
    assertThat(SchemaMigrator.migrate(db.dataSource(), null)).isEqualTo(newestMigration());
  }

  /** The highest {@code V<n>__} among the migration scripts on the class path. */
  private static String newestMigration() throws Exception {
    Path dir = Path.of(SchemaMigrator.class.getClassLoader().getResource("db/migration").toURI());
    try (Stream<Path> files = Files.list(dir)) {
      return String.valueOf(files.map(f -> f.getFileName().toString())
          .filter(n -> n.matches("V\\d+__.*\\.sql"))
          .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__"))))
          .max().orElseThrow());
    }
  }

  @Test
  void task_roundTripsEveryField() {
    TaskRecord t = task("t1", Optional.of("k1"));
    tasks.insert(t);

    assertThat(tasks.find(t.id())).contains(t);
    assertThat(tasks.findByIdempotencyKey("k1")).contains(t);
    assertThat(tasks.unfinished()).containsExactly(t);
  }

  @Test
  void fsTask_roundTripsItsOperation_dataIncluded() {
    byte[] binary = new byte[70_000];
    for (int i = 0; i < binary.length; i++) {
      binary[i] = (byte) i;
    }
    TaskRecord plain = task("t1", Optional.empty());
    TaskRecord fs = new TaskRecord(new TaskId("t2"), TaskKind.FS, "default", TaskState.QUEUED, Optional.empty(),
        Optional.empty(), Map.of(), "", List.of(), Map.of(), "",
        Optional.of(FsOperation.write("out/data.bin", binary, true, "")), Duration.ofSeconds(9),
        Duration.ofSeconds(2), Optional.empty(), "tester", plain.traceparent(), Optional.empty(), "", 0,
        Optional.empty(), T0, Optional.empty(), Optional.empty(), Optional.empty());
    tasks.insert(fs);

    assertThat(tasks.find(fs.id())).contains(fs);
    assertThat(tasks.find(fs.id()).orElseThrow().fs().orElseThrow().payload().getWrite().getData().toByteArray())
        .isEqualTo(binary);
  }

  @Test
  void secondTaskWithTheSameIdempotencyKey_isRefused_andNothingIsLost() {
    tasks.insert(task("t1", Optional.of("k1")));

    assertThatThrownBy(() -> tasks.insert(task("t2", Optional.of("k1"))))
        .isInstanceOf(TaskStore.DuplicateTaskException.class);
    tasks.insert(task("t3", Optional.empty()));
    tasks.insert(task("t4", Optional.empty()));
    assertThat(tasks.recent(10)).extracting(r -> r.id().value())
        .containsExactlyInAnyOrder("t1", "t3", "t4");
  }

  @Test
  void journal_commitsTransitionsAndOutputInBatches_andNeverOverwritesAFinalState() {
    TaskRecord t = task("t1", Optional.empty());
    tasks.insert(t);
    NodeId node = new NodeId("n1");
    journal.append(TaskUpdate.dispatched(t.id(), node, T0.plusSeconds(1)), null);
    journal.append(TaskUpdate.running(t.id(), node, T0.plusSeconds(2)), null);
    for (long seq = 1; seq <= 4; seq++) {
      journal.append(new JournalEntry.OutputAppend(OutputChunkEvent.text("t1", seq,
          OutputStreamKind.STDOUT, ("line" + seq).getBytes(StandardCharsets.UTF_8), 5)));
    }
    journal.append(TaskUpdate.finished(t.id(), TaskState.SUCCEEDED, Optional.of(node),
        T0.plusSeconds(3), Optional.of(0), "", Optional.of(4L)), null);
    journal.append(TaskUpdate.finished(t.id(), TaskState.LOST, Optional.of(node),
        T0.plusSeconds(4), Optional.empty(), "late", Optional.empty()), null);

    assertThat(journal.flush()).isEqualTo(8);

    assertThat(committed).as("batches of at most 3").hasSize(2);
    TaskRecord stored = tasks.find(t.id()).orElseThrow();
    assertThat(stored.state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(stored.exitCode()).contains(0);
    assertThat(stored.outputSeq()).isEqualTo(4);
    assertThat(stored.finalSeq()).contains(4L);
    assertThat(stored.startedAt()).contains(T0.plusSeconds(2));
    assertThat(output.read(t.id(), 1, 2)).extracting(OutputRecord::seq).containsExactly(2L, 3L);
    assertThat(output.storedSeqs(t.id(), 0)).containsExactly(1L, 2L, 3L, 4L);
    assertThat(tasks.unfinished()).isEmpty();
  }

  @Test
  void writerThread_commitsWhatIsAppended_andStopWritesTheRest() throws Exception {
    TaskRecord t = task("t1", Optional.empty());
    tasks.insert(t);
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    journal.start(Thread::new);
    journal.append(TaskUpdate.dispatched(t.id(), new NodeId("n"), T0), done::countDown);
    assertThat(done.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(tasks.find(t.id()).orElseThrow().state()).isEqualTo(TaskState.DISPATCHED);

    journal.stop(Duration.ofSeconds(5));
    journal.append(TaskUpdate.running(t.id(), new NodeId("n"), T0), null);
    journal.flush();
    assertThat(tasks.find(t.id()).orElseThrow().state()).isEqualTo(TaskState.RUNNING);
  }

  @Test
  void binaryChunks_keepTheirBytes() {
    tasks.insert(task("t1", Optional.empty()));
    byte[] png = new byte[70_000];
    png[0] = (byte) 0x89;
    png[69_999] = 7;
    journal.append(new JournalEntry.OutputAppend(new OutputChunkEvent("t1", 1,
        OutputStreamKind.BINARY, png, 0, "f1", 0, true, "image/png")));
    journal.flush();

    assertThat(output.read(new TaskId("t1"), 0, 1)).singleElement()
        .satisfies(r -> assertThat(r.data()).isEqualTo(png));
  }

  @Test
  void jpaNodeStore_createsOnFirstHello_andUpdatesTheSameNodeOnReconnect() {
    EntityManagerFactory emf = Persistence.createEntityManagerFactory("cortex-test",
        Map.of("jakarta.persistence.nonJtaDataSource", db.dataSource()));
    try {
      NodeHello first = hello(Map.of("zone", "a", "gpu", "yes"), List.of("echo", "shell"));
      NodeView created = inTx(emf, em -> new JpaNodeStore(em).register(first, T0));
      NodeHello again = hello(Map.of("zone", "b"), List.of("echo"));
      NodeView updated = inTx(emf, em -> new JpaNodeStore(em).register(again, T0.plusSeconds(5)));
      inTx(emf, em -> {
        new JpaNodeStore(em).updateState(created.id(), NodeState.ONLINE, T0.plusSeconds(6),
            Optional.of(T0.plusSeconds(6)));
        return null;
      });

      assertThat(updated.id()).isEqualTo(created.id());
      List<NodeView> all = inTx(emf, em -> new JpaNodeStore(em).all());
      assertThat(all).singleElement().satisfies(v -> {
        assertThat(v.state()).isEqualTo(NodeState.ONLINE);
        assertThat(v.labels()).isEqualTo(Map.of("zone", "b"));
        assertThat(v.capabilities()).containsExactly("echo");
        assertThat(v.maxTasks()).isEqualTo(3);
        assertThat(v.lastHeartbeatAt()).contains(T0.plusSeconds(6));
        assertThat(v.manifest()).isEqualTo(again.manifest());
        assertThat(v.manifest().policy()).contains("/usr/bin/echo");
      });
    } finally {
      emf.close();
    }
  }

  private static NodeHello hello(Map<String, String> labels, List<String> caps) {
    return new NodeHello(new io.cortexhub.hub.registry.NodeIdentity(
        new io.cortexhub.hub.registry.NodeId("n-0123456789abcdefghij"),
        io.cortexhub.hub.workspace.WorkspaceId.DEFAULT), "node-1", "inst", new NodeView.Manifest("0.1.0", "Linux", "6.1",
        "amd64", "6.1.0", 4, 8L << 30, "17", "host", "bubblewrap", "auto-approve-safe", "ab".repeat(32),
        "version: 1\nconsent: auto-approve-safe\ncommands:\n  - path: /usr/bin/echo\n"), caps, labels, 3);
  }

  private static <T> T inTx(EntityManagerFactory emf, Function<EntityManager, T> work) {
    EntityManager em = emf.createEntityManager();
    try {
      em.getTransaction().begin();
      T result = work.apply(em);
      em.getTransaction().commit();
      return result;
    } finally {
      if (em.getTransaction().isActive()) {
        em.getTransaction().rollback();
      }
      em.close();
    }
  }
}
