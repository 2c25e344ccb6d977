package io.cortexhub.node.audit;

import io.cortexhub.node.audit.VerificationReport.Problem;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Checks a log line by line: the seq sequence, the hash chain, each in-log checkpoint (size, root,
 * last hash, signature when a key is given) and, when given, the hub's checkpoints; meanwhile it
 * rebuilds the state an appender needs to continue the log (last seq and hash, Merkle compact
 * range, latest checkpoint).
 *
 * <p>Shared by {@link AuditLog#open} (which stops at the first problem) and {@link AuditVerifier}
 * (which collects them). Problems are classified by what the evidence shows: a record whose hash no
 * longer matches its successor's {@code prev} was edited; a seq gap that is never filled is a
 * deletion; a gap filled later is a reordering; a record followed by one with the same seq that
 * chains past it was inserted. After a problem the next chain link is not judged, so one tamper
 * yields one headline.
 *
 * <p>Not thread-safe; one use.
 */
final class ChainWalker implements LogLines.Visitor {
  private static final int MAX_PROBLEMS = 100;

  private final PublicKey key;
  private final Map<Long, List<Checkpoint>> hubBySize;
  private final Consumer<Problem> problems;
  private final MessageDigest md = Hashing.sha256();
  private MerkleTree tree = new MerkleTree();
  private final List<long[]> gaps = new ArrayList<>(); // {firstSeq, lastSeq, line}
  private final Set<Long> problemLines = new HashSet<>();

  private long lines;
  private long records;
  private long highestSeq;
  private byte[] lastHash = Hashing.GENESIS;
  private String lastPrev = "";
  private long lastLine;
  private long lastSeq;
  private boolean resync;
  private long sinceCheckpoint;
  private Checkpoint latest;
  private int checkpoints;
  private int hubChecked;
  private int reported;
  private long incompleteOffset = -1;
  private long incompleteLength;

  /**
   * @param key verifies in-log checkpoint signatures; null to skip them
   * @param hubBySize hub-stored checkpoints by tree size (already signature-checked), may be empty
   * @param problems receives each problem; may throw to stop the walk
   */
  ChainWalker(PublicKey key, Map<Long, List<Checkpoint>> hubBySize, Consumer<Problem> problems) {
    this.key = key;
    this.hubBySize = Map.copyOf(hubBySize);
    this.problems = problems;
  }

  /**
   * Starts the walk at a checkpoint line instead of the first line, taking the records before it as
   * the checkpoint describes them (its count, last hash and saved compact range). The checkpoint
   * line itself is then checked like any other.
   *
   * @param lineNo the checkpoint's line
   * @param c the checkpoint
   * @param restored the Merkle tree rebuilt from the checkpoint's compact range
   */
  void resumeAt(long lineNo, Checkpoint c, MerkleTree restored) {
    lines = lineNo - 1;
    records = c.treeSize();
    highestSeq = c.treeSize();
    lastHash = c.lastRecordHash();
    lastLine = lineNo - 1;
    lastSeq = c.treeSize();
    tree = restored;
  }

  @Override
  public void line(long lineNo, long offset, byte[] bytes) {
    lines = lineNo;
    String text = utf8(bytes);
    Map<String, Object> obj = text == null ? null : objectOrNull(text);
    if (obj == null || !(obj.get("seq") instanceof Long seq)) {
      problem(lineNo, 0, text == null ? "not valid UTF-8" : "not an audit record (no JSON object with a seq)");
      resync = true;
      return;
    }
    byte[] hash = Hashing.recordHash(md, bytes);
    AuditRecord rec = null;
    try {
      rec = AuditRecord.fromParsed(text, obj, Hashing.hex(hash));
    } catch (IllegalArgumentException e) {
      problem(lineNo, seq, "malformed record: " + e.getMessage());
      resync = true;
    }
    String prev = obj.get("prev") instanceof String p ? p : "";
    long effectiveSeq = checkSequence(lineNo, seq, prev);
    boolean isCheckpoint = rec != null && rec.type().equals(AuditTypes.CHECKPOINT);
    if (isCheckpoint) {
      checkCheckpoint(lineNo, seq, rec);
    }
    records++;
    tree.append(Hashing.leafHash(md, bytes));
    lastHash = hash;
    lastPrev = prev;
    lastLine = lineNo;
    lastSeq = seq;
    highestSeq = Math.max(highestSeq, effectiveSeq);
    sinceCheckpoint = isCheckpoint ? 0 : sinceCheckpoint + 1;
    checkHub(lineNo, seq);
  }

  @Override
  public void tooLong(long lineNo, long offset, long length) {
    lines = lineNo;
    problem(lineNo, 0, "line of " + length + " bytes is longer than any record the agent writes");
    resync = true;
  }

  @Override
  public void incomplete(long lineNo, long offset, long length) {
    incompleteOffset = offset;
    incompleteLength = length;
  }

  /** Reports what can only be judged at the end: unfilled gaps and hub checkpoints past the end. */
  void finish() {
    for (long[] g : gaps) {
      String which = g[0] == g[1] ? "record seq " + g[0] + " is" : "records seq " + g[0] + ".." + g[1] + " are";
      problem(g[2], 0, which + " missing before this line: deleted");
    }
    hubBySize.values().stream()
        .flatMap(List::stream)
        .filter(c -> c.treeSize() > records)
        .forEach(
            c -> {
              hubChecked++;
              problem(
                  lines + 1,
                  0,
                  "log truncated: the hub holds a checkpoint over "
                      + c.treeSize()
                      + " records (created "
                      + Instant.ofEpochMilli(c.createdAtUnixMs())
                      + "), the log has only "
                      + records);
            });
  }

  private long checkSequence(long lineNo, long seq, String prev) {
    long expected = highestSeq + 1;
    boolean judged = !resync;
    boolean chained = prev.equals(Hashing.hex(lastHash));
    resync = false;
    if (seq == expected) {
      if (judged && !chained) {
        if (records == 0) {
          problem(lineNo, seq, "the first record's prev is not 64 zeros: records before it were removed, or it was edited");
        } else {
          problem(lastLine, lastSeq, "record was edited: its hash does not match the prev stored in seq " + seq
              + " (line " + lineNo + ")");
        }
      }
      return seq;
    }
    if (seq > expected) {
      if (judged && chained) {
        problem(lineNo, seq, "seq jumps from " + (expected - 1) + " to " + seq
            + " although the record chains to the one before it: its seq was edited");
        return expected;
      }
      gaps.add(new long[] {expected, seq - 1, lineNo});
      return seq;
    }
    resync = true;
    if (judged && records > 0 && seq == lastSeq && prev.equals(lastPrev)) {
      problem(lastLine, lastSeq, "record was inserted: the next line (" + lineNo
          + ") has the same seq and chains to the record before it");
      return seq;
    }
    for (int i = 0; i < gaps.size(); i++) {
      long[] g = gaps.get(i);
      if (seq >= g[0] && seq <= g[1]) {
        splitGap(i, seq);
        problem(g[2], 0, "records out of order: seq " + seq + " is at line " + lineNo
            + ", after seq " + highestSeq + ": reordered");
        return seq;
      }
    }
    problem(lineNo, seq, "seq " + seq + " appears after seq " + highestSeq
        + ": a record was inserted, duplicated or moved here");
    return seq;
  }

  private void splitGap(int i, long seq) {
    long[] g = gaps.remove(i);
    if (seq < g[1]) {
      gaps.add(i, new long[] {seq + 1, g[1], g[2]});
    }
    if (seq > g[0]) {
      gaps.add(i, new long[] {g[0], seq - 1, g[2]});
    }
  }

  private void checkCheckpoint(long lineNo, long seq, AuditRecord rec) {
    checkpoints++;
    Checkpoint c;
    try {
      c = Checkpoint.fromJson(rec.fields());
    } catch (IllegalArgumentException e) {
      problem(lineNo, seq, "malformed checkpoint: " + e.getMessage());
      return;
    }
    if (c.treeSize() != records) {
      problem(lineNo, seq, "checkpoint covers " + c.treeSize() + " records but follows " + records);
    } else if (!Arrays.equals(c.rootHash(), tree.root())) {
      problem(lineNo, seq, "checkpoint root hash does not match records 1.." + records
          + ": a record before it was changed, inserted or removed");
    } else if (!Arrays.equals(c.lastRecordHash(), lastHash)) {
      problem(lineNo, seq, "checkpoint's last record hash does not match record " + records);
    } else if (rec.fields().containsKey(AuditLog.COMPACT_RANGE)
        && !rec.fields().get(AuditLog.COMPACT_RANGE).equals(AuditLog.hexList(tree.compactRange()))) {
      problem(lineNo, seq, "checkpoint's saved compact range does not match records 1.." + records);
    }
    if (key != null) {
      try {
        if (!c.verify(key)) {
          problem(lineNo, seq, "checkpoint signature does not verify with the given public key: forged or rewritten");
        }
      } catch (IllegalArgumentException e) {
        problem(lineNo, seq, "checkpoint signature cannot be checked: " + e.getMessage());
      }
    }
    latest = c;
  }

  private void checkHub(long lineNo, long seq) {
    List<Checkpoint> due = hubBySize.get(records);
    if (due == null) {
      return;
    }
    byte[] root = tree.root();
    for (Checkpoint c : due) {
      hubChecked++;
      if (!Arrays.equals(c.rootHash(), root) || !Arrays.equals(c.lastRecordHash(), lastHash)) {
        problem(lineNo, seq, "records 1.." + records + " do not match the hub's checkpoint over " + records
            + " records (created " + Instant.ofEpochMilli(c.createdAtUnixMs())
            + "): the log was rewritten at or before this line");
      }
    }
  }

  private void problem(long line, long seq, String message) {
    if (reported >= MAX_PROBLEMS || !problemLines.add(line)) {
      return; // one problem per line, and a bounded report for a log that is garbage throughout
    }
    reported++;
    problems.accept(new Problem(line, seq, message));
  }

  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static Map<String, Object> objectOrNull(String text) {
    try {
      return CanonicalJson.parseObject(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  long lines() {
    return lines;
  }

  long records() {
    return records;
  }

  long highestSeq() {
    return highestSeq;
  }

  byte[] lastHash() {
    return lastHash.clone();
  }

  MerkleTree tree() {
    return tree;
  }

  long sinceCheckpoint() {
    return sinceCheckpoint;
  }

  Optional<Checkpoint> latestCheckpoint() {
    return Optional.ofNullable(latest);
  }

  int checkpoints() {
    return checkpoints;
  }

  int hubChecked() {
    return hubChecked;
  }

  /** Offset of an unfinished last line, or -1. */
  long incompleteOffset() {
    return incompleteOffset;
  }

  long incompleteLength() {
    return incompleteLength;
  }
}
