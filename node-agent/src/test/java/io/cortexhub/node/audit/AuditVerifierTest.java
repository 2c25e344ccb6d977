package io.cortexhub.node.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortexhub.node.audit.AuditFixtures.RecordingSink;
import io.cortexhub.node.audit.VerificationReport.Problem;
import io.cortexhub.node.testing.FakeClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way of tampering with the log file, each caught and named at its first bad line.
 *
 * <p>The log: data records seq 1-5, checkpoint (seq 6, over 5), data 7-11, checkpoint (seq 12,
 * over 11), data 13-14, checkpoint on close (seq 15, over 14). Line n holds seq n.
 */
class AuditVerifierTest {
  private static final KeyPair KEYS = AuditFixtures.ecKeyPair();
  private static final KeyPair OTHER = AuditFixtures.ecKeyPair();

  @TempDir Path dir;
  private Path file;
  private List<Checkpoint> hub;
  private List<String> lines;

  @BeforeEach
  void writeLog() {
    file = dir.resolve("audit.log");
    FakeClock clock = new FakeClock(Instant.parse("2025-01-01T00:00:00Z"));
    RecordingSink sink = new RecordingSink();
    try (AuditLog log = AuditLog.open(file, new KeyCheckpointSigner(KEYS.getPrivate()), 5, clock, sink)) {
      for (int i = 1; i <= 12; i++) {
        clock.advance(Duration.ofSeconds(1));
        log.append(AuditTypes.PROCESS_STARTED, "t-" + i, Map.of("argv", List.of("ls", "-" + i), "pid", 100 + i));
      }
    }
    hub = List.copyOf(sink.received);
    lines = AuditFixtures.lines(file);
    assertThat(lines).hasSize(15);
    assertThat(hub).extracting(Checkpoint::treeSize).containsExactly(5L, 11L, 14L);
  }

  private VerificationReport verify(Optional<PublicKey> key, List<Checkpoint> checkpoints) {
    return new AuditVerifier(key, checkpoints).verify(file);
  }

  private VerificationReport verifyPlain() {
    return verify(Optional.empty(), List.of());
  }

  private VerificationReport verifyFully() {
    return verify(Optional.of(KEYS.getPublic()), hub);
  }

  private static Problem first(VerificationReport r) {
    assertThat(r.ok()).as("tampering must be detected").isFalse();
    return r.firstProblem().orElseThrow();
  }

  private void tamper(List<String> newLines) {
    AuditFixtures.write(file, newLines);
  }

  @Test
  void anIntactLog_verifiesInEveryMode() {
    VerificationReport full = verifyFully();
    assertThat(full.problems()).isEmpty();
    assertThat(full.records()).isEqualTo(15);
    assertThat(full.logCheckpoints()).isEqualTo(3);
    assertThat(full.hubCheckpoints()).isEqualTo(3);
    assertThat(full.signaturesChecked()).isTrue();
    assertThat(verifyPlain().ok()).isTrue();
  }

  @Test
  void anEditedRecord_isNamed() {
    lines.set(2, AuditFixtures.with(lines.get(2), "fields", Map.of("argv", List.of("rm", "-rf", "/"), "pid", 103)));
    tamper(lines);
    Problem p = first(verifyPlain());
    assertThat(p.line()).isEqualTo(3);
    assertThat(p.seq()).isEqualTo(3);
    assertThat(p.message()).contains("edited");
  }

  @Test
  void anEditedLastRecordBeforeACheckpoint_isCaughtByTheCheckpoint() {
    // Record 14 has no successor but the checkpoint on close, whose prev and root cover it.
    lines.set(13, AuditFixtures.with(lines.get(13), "taskId", "t-other"));
    tamper(lines);
    Problem p = first(verifyPlain());
    assertThat(p.line()).isEqualTo(14);
    assertThat(p.message()).contains("edited");
  }

  @Test
  void aHandEditedLine_thatIsNoLongerCanonical_isNamed() {
    lines.set(4, lines.get(4).replace(",\"seq\":", ", \"seq\":"));
    tamper(lines);
    Problem p = first(verifyPlain());
    assertThat(p.line()).isEqualTo(5);
    assertThat(p.message()).contains("canonical");
  }

  @Test
  void aDeletedRecord_isNamed() {
    lines.remove(2);
    tamper(lines);
    Problem p = first(verifyPlain());
    assertThat(p.line()).isEqualTo(3);
    assertThat(p.message()).isEqualTo("record seq 3 is missing before this line: deleted");
  }

  @Test
  void deletedFirstRecords_areNamed() {
    tamper(lines.subList(2, lines.size()));
    Problem p = first(verifyPlain());
    assertThat(p.line()).isEqualTo(1);
    assertThat(p.message()).contains("records seq 1..2 are missing").contains("deleted");
  }

  @Test
  void reorderedRecords_areNamed() {
    String third = lines.get(2);
    lines.set(2, lines.get(3));
    lines.set(3, third);
    tamper(lines);
    Problem p = first(verifyPlain());
    assertThat(p.line()).isEqualTo(3);
    assertThat(p.message()).contains("out of order").contains("seq 3 is at line 4").contains("reordered");
  }

  @Test
  void anInsertedRecord_evenWithACorrectHashLink_isNamed() {
    // The attacker computes a perfect record 3 chained to record 2 and slips it in before the real one.
    MessageDigest md = Hashing.sha256();
    String prev = Hashing.hex(Hashing.recordHash(md, lines.get(1).getBytes(StandardCharsets.UTF_8)));
    String forged = AuditFixtures.with(AuditFixtures.with(lines.get(2), "prev", prev), "taskId", "t-alibi");
    lines.add(2, forged);
    tamper(lines);
    Problem p = first(verifyPlain());
    assertThat(p.line()).isEqualTo(3);
    assertThat(p.message()).contains("inserted");
  }

  @Test
  void aLineOfGarbage_isNamed() {
    lines.add(7, "rm -rf / # was here");
    tamper(lines);
    Problem p = first(verifyPlain());
    assertThat(p.line()).isEqualTo(8);
    assertThat(p.message()).contains("not an audit record");
  }

  @Test
  void anEditedSeq_isNamed() {
    lines.set(8, AuditFixtures.with(lines.get(8), "seq", 90L));
    tamper(lines);
    Problem p = first(verifyPlain());
    assertThat(p.line()).isEqualTo(9);
    assertThat(p.message()).contains("seq was edited");
  }

  @Test
  void anEditedAndRechainedLog_isCaughtByTheNextCheckpointsRoot() {
    lines.set(7, AuditFixtures.with(lines.get(7), "taskId", "t-alibi"));
    tamper(fixTail(lines)); // every prev recomputed; the checkpoint bodies left as signed
    Problem p = first(verifyPlain());
    assertThat(p.line()).isEqualTo(12);
    assertThat(p.message()).contains("checkpoint root hash does not match records 1..11");
  }

  /** Rechains only the prev links (the checkpoint bodies stay stale). */
  private static List<String> fixTail(List<String> in) {
    MessageDigest md = Hashing.sha256();
    String prev = "0".repeat(64);
    List<String> out = new java.util.ArrayList<>();
    for (String line : in) {
      String fixed = AuditFixtures.with(line, "prev", prev);
      out.add(fixed);
      prev = Hashing.hex(Hashing.recordHash(md, fixed.getBytes(StandardCharsets.UTF_8)));
    }
    return out;
  }

  @Test
  void aFullyRecomputedLog_isCaughtOnlyBySignaturesOrTheHub() {
    lines.set(7, AuditFixtures.with(lines.get(7), "taskId", "t-alibi"));
    tamper(AuditFixtures.rechain(lines));

    assertThat(verifyPlain().ok()).as("without key or hub checkpoints nothing can tell").isTrue();

    Problem bySignature = first(verify(Optional.of(KEYS.getPublic()), List.of()));
    assertThat(bySignature.line()).isEqualTo(12);
    assertThat(bySignature.message()).contains("checkpoint signature does not verify");

    Problem byHub = first(verify(Optional.empty(), hub));
    assertThat(byHub.line()).isEqualTo(11);
    assertThat(byHub.message()).contains("do not match the hub's checkpoint over 11 records").contains("rewritten");
  }

  @Test
  void aTruncatedTail_isCaughtAgainstTheHubsCheckpoints() {
    tamper(lines.subList(0, 11));
    assertThat(verifyPlain().ok()).as("a clean cut after a checkpoint looks whole locally").isTrue();

    VerificationReport r = verify(Optional.of(KEYS.getPublic()), hub);
    Problem p = first(r);
    assertThat(p.line()).isEqualTo(12);
    assertThat(p.message()).contains("log truncated").contains("checkpoint over 14 records").contains("has only 11");
    assertThat(r.problems()).hasSize(1);
  }

  @Test
  void aTruncatedTailThenRegrown_isCaughtByThePrefixRoot() {
    // Cut after seq 9, then grow it again with other records, all chained and checkpointed anew.
    List<String> regrown = new java.util.ArrayList<>(lines.subList(0, 9));
    regrown.add(AuditFixtures.with(lines.get(9), "taskId", "t-new"));
    regrown.addAll(lines.subList(10, 15));
    tamper(AuditFixtures.rechain(regrown));
    Problem p = first(verify(Optional.empty(), hub));
    assertThat(p.line()).isEqualTo(11);
    assertThat(p.message()).contains("do not match the hub's checkpoint over 11 records");
  }

  @Test
  void aForgedCheckpointSignatureInTheLog_isNamed() {
    Map<String, Object> fields = AuditFixtures.parse(CanonicalJson.write(AuditFixtures.parse(lines.get(5)).get("fields")));
    Checkpoint real = Checkpoint.fromJson(fields);
    Checkpoint forged = new Checkpoint(real.treeSize(), real.rootHash(), real.lastRecordHash(), real.createdAtUnixMs(),
        new KeyCheckpointSigner(OTHER.getPrivate()).sign(real.signedMessage()), real.algorithm());
    lines.set(5, AuditFixtures.with(lines.get(5), "fields", forged.toJsonMap()));
    tamper(fixTail(lines));
    Problem p = first(verify(Optional.of(KEYS.getPublic()), List.of()));
    assertThat(p.line()).isEqualTo(6);
    assertThat(p.message()).contains("signature does not verify");
  }

  @Test
  void theWrongPublicKey_failsEveryCheckpoint() {
    VerificationReport r = verify(Optional.of(OTHER.getPublic()), hub);
    assertThat(r.problems()).extracting(Problem::line).containsExactly(0L, 0L, 0L, 6L, 12L, 15L);
    assertThat(r.problems().get(0).toString()).startsWith("hub checkpoint #1 (tree size 5): signature does not verify");
  }

  @Test
  void aTamperedHubCheckpoint_isReportedAndNotTrusted() {
    Checkpoint c = hub.get(2);
    Checkpoint bent = new Checkpoint(c.treeSize() + 1, c.rootHash(), c.lastRecordHash(), c.createdAtUnixMs(),
        c.signature(), c.algorithm());
    VerificationReport r = verify(Optional.of(KEYS.getPublic()), List.of(hub.get(0), hub.get(1), bent));
    assertThat(r.problems()).hasSize(1);
    assertThat(r.problems().get(0).message()).startsWith("hub checkpoint #3 (tree size 15): signature does not verify")
        .endsWith("not used");
  }

  @Test
  void checkpointsRoundTripThroughTheHubsJsonForm() {
    String json = "[" + String.join(",", hub.stream().map(Checkpoint::toJson).toList()) + "]";
    assertThat(Checkpoint.parseList(json)).containsExactlyElementsOf(hub);
    assertThat(hub.get(0).toJson()).startsWith("{\"algorithm\":\"SHA256withECDSA\",\"createdAtUnixMs\":");
  }
}
