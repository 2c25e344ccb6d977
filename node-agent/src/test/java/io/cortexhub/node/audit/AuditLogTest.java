package io.cortexhub.node.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortexhub.node.audit.AuditFixtures.RecordingSink;
import io.cortexhub.node.testing.FakeClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log as the agent uses it: appends, checkpoints, restarts, queries, and the refusals. */
class AuditLogTest {
  private static final KeyPair KEYS = AuditFixtures.ecKeyPair();

  @TempDir Path dir;
  private final FakeClock clock = new FakeClock(Instant.parse("2025-01-01T00:00:00Z"));
  private final RecordingSink sink = new RecordingSink();
  private final List<AuditLog> opened = new ArrayList<>();

  private Path file() {
    return dir.resolve("audit").resolve("audit.log");
  }

  private AuditLog open(int every) {
    AuditLog log = AuditLog.open(file(), new KeyCheckpointSigner(KEYS.getPrivate()), every, clock, sink);
    opened.add(log);
    return log;
  }

  private VerificationReport verify(List<Checkpoint> hub) {
    return new AuditVerifier(Optional.of(KEYS.getPublic()), hub).verify(file());
  }

  @AfterEach
  void closeAll() {
    opened.forEach(AuditLog::close);
  }

  @Test
  void appends_formAHashChainOfCanonicalLines() {
    AuditLog log = open(100);
    AuditRecord a = log.append(AuditTypes.TASK_RECEIVED, "t-1", Map.of("capability", "shell", "bytes", 42));
    clock.advance(Duration.ofMillis(5));
    AuditRecord b = log.append(AuditTypes.PROCESS_STARTED, "t-1", Map.of("pid", 77L, "argv", List.of("ls", "-l")));

    assertThat(a.seq()).isEqualTo(1);
    assertThat(a.prevHash()).isEqualTo("0".repeat(64));
    assertThat(b.seq()).isEqualTo(2);
    assertThat(b.prevHash()).isEqualTo(a.hash());
    assertThat(b.timeUnixMs()).isEqualTo(clock.millis());
    assertThat(b.fields()).containsEntry("pid", 77L).containsEntry("argv", List.of("ls", "-l"));
    assertThat(AuditFixtures.lines(file())).containsExactly(a.json(), b.json());
    assertThat(a.json())
        .isEqualTo("{\"fields\":{\"bytes\":42,\"capability\":\"shell\"},\"prev\":\"" + "0".repeat(64)
            + "\",\"seq\":1,\"taskId\":\"t-1\",\"time\":1735689600000,\"type\":\"task.received\"}");
    assertThat(AuditRecord.parse(b.json())).isEqualTo(b);
    assertThat(log.size()).isEqualTo(2);
  }

  @Test
  void everyNRecords_aSignedCheckpointIsWrittenAndHandedToTheSink() {
    AuditLog log = open(3);
    for (int i = 0; i < 7; i++) {
      log.append(AuditTypes.FILE_CHANGED, "t-" + i, Map.of("path", "f" + i));
    }
    // 3 records, checkpoint (seq 4), 3 more, checkpoint (seq 8), then record 7 at seq 9.
    assertThat(sink.received).extracting(Checkpoint::treeSize).containsExactly(3L, 7L);
    assertThat(log.latestCheckpoint()).contains(sink.received.get(1));
    assertThat(sink.received).allSatisfy(c -> assertThat(c.verify(KEYS.getPublic())).isTrue());
    List<String> lines = AuditFixtures.lines(file());
    assertThat(lines).hasSize(9);
    assertThat(AuditFixtures.parse(lines.get(3))).containsEntry("type", "audit.checkpoint").containsEntry("taskId", "");
    assertThat(Checkpoint.fromJson(AuditRecord.parse(lines.get(3)).fields())).isEqualTo(sink.received.get(0));
    assertThat(verify(sink.received).ok()).isTrue();
  }

  @Test
  void checkpointOnDemand_coversEverythingSoFar_andIsNotRepeatedWithoutNewRecords() {
    AuditLog log = open(100);
    assertThat(log.checkpoint()).isEmpty();
    log.append(AuditTypes.POLICY_REFUSED, "t-1", Map.of("reason", "sh is an interpreter"));
    Checkpoint c = log.checkpoint().orElseThrow();
    assertThat(c.treeSize()).isEqualTo(1);
    assertThat(log.checkpoint()).contains(c);
    assertThat(sink.received).containsExactly(c);
    assertThat(log.size()).isEqualTo(2);
  }

  @Test
  void reopening_continuesTheChain_andClosingSignsTheTail() {
    AuditLog first = open(100);
    first.append(AuditTypes.TASK_RECEIVED, "t-1", Map.of());
    first.append(AuditTypes.TASK_VERIFIED, "t-1", Map.of());
    first.close();
    assertThat(sink.received).extracting(Checkpoint::treeSize).containsExactly(2L);

    AuditLog second = open(100);
    assertThat(second.size()).isEqualTo(3);
    assertThat(second.latestCheckpoint()).contains(sink.received.get(0));
    AuditRecord next = second.append(AuditTypes.PROCESS_STARTED, "t-1", Map.of("pid", 5));
    assertThat(next.seq()).isEqualTo(4);
    second.close();

    VerificationReport report = verify(sink.received);
    assertThat(report.problems()).isEmpty();
    assertThat(report.records()).isEqualTo(5);
    assertThat(report.logCheckpoints()).isEqualTo(2);
    assertThat(report.hubCheckpoints()).isEqualTo(2);
  }

  @Test
  void recordsForTask_returnsThatTasksLinesOnly_evenWhenAFieldIsCalledTaskId() {
    AuditLog log = open(2);
    AuditRecord a = log.append(AuditTypes.TASK_RECEIVED, "t-1", Map.of());
    log.append(AuditTypes.TASK_RECEIVED, "t-2", Map.of("taskId", "t-1"));
    log.append(AuditTypes.TASK_RECEIVED, "t-10", Map.of());
    AuditRecord b = log.append(AuditTypes.PROCESS_EXITED, "t-1", Map.of("exitCode", 0));
    log.append(AuditTypes.TASK_RECEIVED, "t-\"quoted\"", Map.of());

    assertThat(log.recordsForTask("t-1")).containsExactly(a.json(), b.json());
    assertThat(log.recordsForTask("t-\"quoted\"")).hasSize(1);
    assertThat(log.recordsForTask("nope")).isEmpty();
  }

  @Test
  void concurrentAppends_keepOneUnbrokenChain() throws Exception {
    AuditLog log = open(50);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      String task = "t-" + t;
      done.add(pool.submit(() -> {
        go.await();
        for (int i = 0; i < 250; i++) {
          log.append(AuditTypes.FILE_CHANGED, task, Map.of("i", i));
        }
        return null;
      }));
    }
    go.countDown();
    for (Future<?> f : done) {
      f.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertThat(log.recordsForTask("t-3")).hasSize(250);
    log.close();
    VerificationReport report = verify(sink.received);
    assertThat(report.problems()).isEmpty();
    assertThat(report.records()).isEqualTo(1000 + 1000 / 50); // the last checkpoint already covers record 1000: none on close
  }

  @Test
  void theLogFileIsPrivateToItsOwner() throws Exception {
    open(10).append(AuditTypes.TASK_RECEIVED, "t", Map.of());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file()))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file().getParent()))).isEqualTo("rwx------");
  }

  @Test
  void aSecondOpenOfTheSameLog_isRefused() {
    open(10);
    assertThatThrownBy(() -> open(10)).isInstanceOf(AuditLogException.class).hasMessageContaining("in use");
  }

  @Test
  void badTypesAndValues_areRefusedBeforeAnythingIsWritten() {
    AuditLog log = open(10);
    assertThatThrownBy(() -> log.append("Task Received", "t", Map.of())).hasMessageContaining("bad audit record type");
    assertThatThrownBy(() -> log.append(AuditTypes.CHECKPOINT, "t", Map.of())).hasMessageContaining("bad audit record type");
    assertThatThrownBy(() -> log.append(AuditTypes.TASK_RECEIVED, "t", Map.of("ratio", 0.5))).hasMessageContaining("Double");
    assertThatThrownBy(() -> log.append(AuditTypes.TASK_RECEIVED, "t", Map.of("big", "x".repeat(AuditLog.MAX_RECORD_BYTES))))
        .hasMessageContaining("exceeds");
    assertThatThrownBy(() -> log.append(AuditTypes.TASK_RECEIVED, null, Map.of())).isInstanceOf(NullPointerException.class);
    assertThat(log.size()).isZero();
    assertThat(AuditFixtures.lines(file())).isEmpty();
  }

  /** r1 r2 r3 cp4 r5 r6 cp7, closed. */
  private List<String> sevenLineLog() {
    AuditLog log = open(3);
    for (int i = 1; i <= 5; i++) {
      log.append(AuditTypes.TASK_RECEIVED, "t-" + i, Map.of());
    }
    log.close();
    List<String> lines = AuditFixtures.lines(file());
    assertThat(lines).hasSize(7);
    return lines;
  }

  @Test
  void aBrokenTail_isRefusedOnOpen_namingTheLine_andLeftByteForByte() throws Exception {
    List<String> lines = sevenLineLog();
    lines.remove(6); // the tail after the checkpoint on line 4 is now r5 r6
    lines.set(4, AuditFixtures.with(lines.get(4), "taskId", "someone-else"));
    AuditFixtures.write(file(), lines);
    byte[] before = Files.readAllBytes(file());

    assertThatThrownBy(() -> open(3))
        .isInstanceOf(BrokenAuditLogException.class)
        .hasMessageContaining("line 5 (seq 5)")
        .hasMessageContaining("edited")
        .satisfies(e -> assertThat(((BrokenAuditLogException) e).problem().line()).isEqualTo(5));
    assertThat(Files.readAllBytes(file())).isEqualTo(before);
    // The refused open released its lock: a second try is refused for the same reason, not "in use".
    assertThatThrownBy(() -> open(3)).isInstanceOf(BrokenAuditLogException.class);
  }

  @Test
  void openingVerifiesOnlyTheTail_soAnOlderEditIsLeftToAuditVerify() {
    List<String> lines = sevenLineLog();
    lines.set(1, AuditFixtures.with(lines.get(1), "taskId", "someone-else"));
    AuditFixtures.write(file(), lines);

    AuditLog reopened = open(3);
    assertThat(reopened.size()).isEqualTo(7);
    assertThat(reopened.append(AuditTypes.TASK_RECEIVED, "t-6", Map.of()).seq()).isEqualTo(8);
    reopened.close();
    VerificationReport report = verify(List.of());
    assertThat(report.firstProblem().orElseThrow().toString()).startsWith("line 2 (seq 2): record was edited");
  }

  @Test
  void aCheckpointWhoseSavedTreeIsWrong_makesOpenCheckTheWholeFile_andRefuse() {
    List<String> lines = sevenLineLog();
    Map<String, Object> fields = AuditFixtures.parse(CanonicalJson.write(AuditFixtures.parse(lines.get(6)).get("fields")));
    fields.put("compactRange", List.of("ab".repeat(32), "cd".repeat(32)));
    lines.set(6, AuditFixtures.with(lines.get(6), "fields", fields));
    AuditFixtures.write(file(), lines);

    assertThatThrownBy(() -> open(3))
        .isInstanceOf(BrokenAuditLogException.class)
        .hasMessageContaining("line 7 (seq 7): checkpoint's saved compact range does not match records 1..6");
  }

  @Test
  void aTornLastLine_isSetAsideAndRecorded_andTheChainContinues() throws Exception {
    AuditLog log = open(100);
    log.append(AuditTypes.TASK_RECEIVED, "t-1", Map.of());
    log.append(AuditTypes.TASK_VERIFIED, "t-1", Map.of());
    log.close();
    Files.writeString(file(), "{\"fields\":{},\"prev\":\"ab", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    assertThat(new AuditVerifier(Optional.empty(), List.of()).verify(file()).firstProblem().orElseThrow().message())
        .contains("unfinished last line");

    clock.advance(Duration.ofSeconds(1));
    AuditLog reopened = open(100);
    AuditRecord next = reopened.append(AuditTypes.TASK_RECEIVED, "t-2", Map.of());
    reopened.close();

    Path aside = file().resolveSibling("audit.log.torn-" + clock.millis());
    assertThat(Files.readString(aside)).isEqualTo("{\"fields\":{},\"prev\":\"ab");
    List<String> lines = AuditFixtures.lines(file());
    AuditRecord repaired = AuditRecord.parse(lines.get(3));
    assertThat(repaired.type()).isEqualTo(AuditTypes.TAIL_REPAIRED);
    assertThat(repaired.fields()).containsEntry("discardedBytes", 23L).containsEntry("savedAs", aside.getFileName().toString());
    assertThat(next.seq()).isEqualTo(5);
    assertThat(verify(sink.received).problems()).isEmpty();
  }

  @Test
  void aFailingSignerOrSink_neverCostsARecord() {
    CheckpointSigner broken = new CheckpointSigner() {
      @Override
      public String algorithm() {
        return "SHA256withECDSA";
      }

      @Override
      public byte[] sign(byte[] message) {
        throw new IllegalStateException("HSM unplugged");
      }
    };
    AuditLog log = AuditLog.open(file(), broken, 2, clock, c -> {
      throw new IllegalStateException("hub gone");
    });
    opened.add(log);
    for (int i = 0; i < 5; i++) {
      log.append(AuditTypes.TASK_RECEIVED, "t", Map.of("i", i));
    }
    assertThat(log.size()).isEqualTo(5);
    assertThat(log.latestCheckpoint()).isEmpty();
    log.close();

    AuditLog signed = AuditLog.open(file(), new KeyCheckpointSigner(KEYS.getPrivate()), 2, clock, c -> {
      throw new IllegalStateException("hub gone");
    });
    signed.append(AuditTypes.TASK_RECEIVED, "t", Map.of());
    assertThat(signed.latestCheckpoint()).isPresent();
    signed.close();
    assertThat(verify(List.of()).problems()).isEmpty();
  }

  @Test
  void batchedFsync_stillWritesEveryRecordBeforeReturning() {
    AuditLog log = AuditLog.open(file(), new KeyCheckpointSigner(KEYS.getPrivate()), 1000, clock, sink,
        FsyncPolicy.batched(64));
    opened.add(log);
    for (int i = 0; i < 10; i++) {
      log.append(AuditTypes.TASK_RECEIVED, "t", Map.of("i", i));
    }
    // Visible to another reader at once (in the kernel), though not yet forced.
    assertThat(AuditFixtures.lines(file())).hasSize(10);
    log.sync();
    assertThatThrownBy(() -> FsyncPolicy.batched(0)).hasMessageContaining("at least 1");
  }

  @Test
  void aClosedLog_refusesAppendsAndQueries() {
    AuditLog log = open(10);
    log.close();
    log.close(); // idempotent
    assertThatThrownBy(() -> log.append(AuditTypes.TASK_RECEIVED, "t", Map.of())).hasMessageContaining("closed");
    assertThatThrownBy(() -> log.recordsForTask("t")).hasMessageContaining("closed");
  }
}
