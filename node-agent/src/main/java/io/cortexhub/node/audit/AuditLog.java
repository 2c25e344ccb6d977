package io.cortexhub.node.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The node's append-only, tamper-evident audit log: one {@link AuditRecord} per line, each holding
 * the SHA-256 of the line before it, with a signed {@link Checkpoint} written into the log as an
 * {@code audit.checkpoint} record after every {@code checkpointEvery} records, on {@link
 * #checkpoint()} and on {@link #close()}, and handed to a {@link CheckpointSink} for the hub.
 *
 * <p><b>Opening</b> verifies the tail: it finds the newest checkpoint record by a raw byte pass,
 * restores the Merkle tree from the compact range saved in it, and checks that checkpoint and
 * every record after it (seq, chain, root), so a restart costs O(records since the last
 * checkpoint), not O(log). Without a usable checkpoint it checks the whole file. The records
 * before the newest checkpoint are checked by {@link AuditVerifier} ({@code cortex-node audit
 * verify}), not on every start. A log that fails is never appended to nor modified: {@link
 * BrokenAuditLogException} names the first bad line. The one repair is an unfinished last line (a
 * torn write at a crash): its bytes are copied to {@code <file>.torn-<millis>}, cut from the log,
 * and an {@code audit.tail-repaired} record saying so is appended. The file is created 0600
 * (parent 0700 if created) and locked against a second agent.
 *
 * <p><b>Durability</b>: every append is written before it returns; {@link FsyncPolicy} decides when
 * it is forced to disk (default: every append, with group commit). Checkpoints are always forced
 * before they reach the sink.
 *
 * <p>Thread-safe: appends are serialised (that is the order of the log); {@link #recordsForTask}
 * reads concurrently with appends.
 */
public final class AuditLog implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(AuditLog.class.getName());

  /** Longest record line (canonical bytes) accepted. */
  public static final int MAX_RECORD_BYTES = 256 * 1024;

  /**
   * Field of an {@code audit.checkpoint} record beyond the checkpoint itself: the Merkle compact
   * range (hex subtree roots, largest first), so a reopen continues the tree from the newest
   * checkpoint instead of rehashing the whole file. Not signed; the verifier checks it.
   */
  static final String COMPACT_RANGE = "compactRange";

  /** How every checkpoint record's line ends (the canonical order puts {@code type} last). */
  private static final byte[] CHECKPOINT_LINE_END =
      ("\"type\":\"" + AuditTypes.CHECKPOINT + "\"}").getBytes(StandardCharsets.UTF_8);

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;
  private final CheckpointSigner signer;
  private final int checkpointEvery;
  private final Clock clock;
  private final CheckpointSink sink;
  private final FsyncPolicy fsync;
  private final MessageDigest md = Hashing.sha256();

  // Guarded by this.
  private final MerkleTree tree;
  private long seq;
  private byte[] lastHash;
  private long sinceCheckpoint;
  private Checkpoint latest;
  private long writeOffset;
  private int unsynced;
  private boolean closed;
  private IOException failure;
  private final ArrayDeque<Checkpoint> undelivered = new ArrayDeque<>();

  private volatile long writtenOffset;
  private final Object syncLock = new Object();
  private long syncedOffset; // guarded by syncLock
  private final Object deliveryLock = new Object();

  private AuditLog(Path file, FileChannel channel, FileLock lock, CheckpointSigner signer, int checkpointEvery,
      Clock clock, CheckpointSink sink, FsyncPolicy fsync, ChainWalker state, long size) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
    this.signer = signer;
    this.checkpointEvery = checkpointEvery;
    this.clock = clock;
    this.sink = sink;
    this.fsync = fsync;
    this.tree = state.tree();
    this.seq = state.highestSeq();
    this.lastHash = state.lastHash();
    this.sinceCheckpoint = state.sinceCheckpoint();
    this.latest = state.latestCheckpoint().orElse(null);
    this.writeOffset = size;
    this.writtenOffset = size;
    this.syncedOffset = size;
  }

  /** {@link #open(Path, CheckpointSigner, int, Clock, CheckpointSink, FsyncPolicy)} forcing every append. */
  public static AuditLog open(Path file, CheckpointSigner signer, int checkpointEvery, Clock clock, CheckpointSink sink) {
    return open(file, signer, checkpointEvery, clock, sink, FsyncPolicy.everyAppend());
  }

  /**
   * Opens (or creates) the log at {@code file} and verifies what it holds.
   *
   * @param checkpointEvery records between two automatic checkpoints, at least 1
   * @throws BrokenAuditLogException if the existing log fails verification (file untouched)
   * @throws AuditLogException if the file cannot be created, read or locked (another agent holds it)
   */
  public static AuditLog open(Path file, CheckpointSigner signer, int checkpointEvery, Clock clock,
      CheckpointSink sink, FsyncPolicy fsync) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(signer, "signer");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(sink, "sink");
    Objects.requireNonNull(fsync, "fsync");
    if (checkpointEvery < 1) {
      throw new IllegalArgumentException("checkpointEvery must be at least 1: " + checkpointEvery);
    }
    Path abs = file.toAbsolutePath();
    FileChannel ch = null;
    try {
      boolean created = AuditFiles.createIfMissing(abs);
      ch = FileChannel.open(abs, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock = AuditFiles.lock(ch, abs);
      ChainWalker state = new ChainWalker(null, Map.of(), p -> {
        throw new Broken(p);
      });
      long size = ch.size();
      Optional<LogLines.Located> resumed = resumeFromLastCheckpoint(ch, size, state);
      if (resumed.isPresent()) {
        LogLines.scan(ch, resumed.get().offset(), size, resumed.get().lineNo(), state);
      } else {
        LogLines.scan(ch, size, state);
      }
      state.finish();
      String repaired = null;
      if (state.incompleteOffset() >= 0) {
        repaired = AuditFiles.setAsideTornTail(ch, abs, state.incompleteOffset(), state.incompleteLength(), clock);
        size = state.incompleteOffset();
      }
      AuditLog log = new AuditLog(abs, ch, lock, signer, checkpointEvery, clock, sink, fsync, state, size);
      if (created) {
        LOG.info("created audit log " + abs);
      } else {
        LOG.info("opened audit log " + abs + ": " + state.records() + " records; chain verified "
            + resumed.map(l -> "from the checkpoint on line " + l.lineNo() + " on").orElse("from the start")
            + " ('cortex-node audit verify' checks the whole file)");
      }
      if (repaired != null) {
        log.appendInternal(AuditTypes.TAIL_REPAIRED, "", Map.of(
            "discardedBytes", state.incompleteLength(), "savedAs", repaired, "offset", state.incompleteOffset()));
      }
      return log;
    } catch (Broken b) {
      AuditFiles.closeQuietly(ch);
      LOG.severe("refusing to append to audit log " + abs + ": " + b.problem);
      throw new BrokenAuditLogException(abs, b.problem);
    } catch (IOException e) {
      AuditFiles.closeQuietly(ch);
      throw new AuditLogException("cannot open audit log " + abs + ": " + e, e);
    } catch (RuntimeException e) {
      AuditFiles.closeQuietly(ch);
      throw e;
    }
  }

  /**
   * Positions {@code state} at the newest checkpoint whose saved compact range reproduces its root,
   * so opening verifies only the tail after it. Empty (verify from the start) if there is none.
   */
  private static Optional<LogLines.Located> resumeFromLastCheckpoint(FileChannel ch, long size, ChainWalker state)
      throws IOException {
    Optional<LogLines.Located> at = LogLines.lastLineEndingWith(ch, size, CHECKPOINT_LINE_END);
    if (at.isEmpty() || at.get().length() > LogLines.MAX_LINE_BYTES) {
      return Optional.empty();
    }
    ByteBuffer buf = ByteBuffer.allocate((int) at.get().length());
    while (buf.hasRemaining() && ch.read(buf, at.get().offset() + buf.position()) > 0) {
      // read the whole line
    }
    try {
      AuditRecord rec = AuditRecord.parse(new String(buf.array(), StandardCharsets.UTF_8));
      Checkpoint c = Checkpoint.fromJson(rec.fields());
      if (!(rec.fields().get(COMPACT_RANGE) instanceof List<?> hexes) || rec.seq() != c.treeSize() + 1) {
        return Optional.empty();
      }
      List<byte[]> range = new ArrayList<>();
      for (Object h : hexes) {
        range.add(Hashing.unhexSha256(String.valueOf(h), "compact range"));
      }
      MerkleTree restored = MerkleTree.restore(c.treeSize(), range);
      if (!java.util.Arrays.equals(restored.root(), c.rootHash())) {
        return Optional.empty();
      }
      state.resumeAt(at.get().lineNo(), c, restored);
      return at;
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // not usable: the full walk will say what is wrong with it
    }
  }

  /**
   * Appends a record and returns it once it is written (and, per the {@link FsyncPolicy}, forced).
   * May write a checkpoint after it.
   *
   * @param type one of {@link AuditTypes} ({@code [a-z][a-z0-9.-]*}, at most 64; {@code audit.*} is reserved)
   * @param taskId the task concerned, or {@code ""}
   * @param fields strings, integers, booleans, maps and lists only (see {@link CanonicalJson})
   * @throws IllegalArgumentException for a bad type, unsupported field values or a record over {@link #MAX_RECORD_BYTES}
   * @throws AuditLogException if the log is closed or the write failed (the log then refuses further appends)
   */
  public AuditRecord append(String type, String taskId, Map<String, ?> fields) {
    Objects.requireNonNull(type, "type");
    if (!AuditTypes.isWellFormed(type) || AuditTypes.isReserved(type)) {
      throw new IllegalArgumentException("bad audit record type \"" + type + "\"");
    }
    return appendInternal(type, taskId, fields);
  }

  private AuditRecord appendInternal(String type, String taskId, Map<String, ?> fields) {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(fields, "fields");
    AuditRecord rec;
    long end = -1;
    synchronized (this) {
      ensureWritable();
      rec = write(type, taskId, fields);
      if (++sinceCheckpoint >= checkpointEvery) {
        writeCheckpoint();
      }
      if (++unsynced >= fsync.recordsPerSync()) {
        unsynced = 0;
        end = writeOffset;
      }
    }
    if (end >= 0) {
      syncTo(end);
    }
    deliverCheckpoints();
    return rec;
  }

  /**
   * Writes a checkpoint over every record so far, unless the newest record already is one.
   *
   * @return the newest checkpoint; empty if the log has no records
   */
  public Optional<Checkpoint> checkpoint() {
    Checkpoint c;
    synchronized (this) {
      ensureWritable();
      if (seq == 0) {
        return Optional.empty();
      }
      if (sinceCheckpoint > 0 || latest == null) {
        writeCheckpoint();
      }
      c = latest;
    }
    deliverCheckpoints();
    return Optional.ofNullable(c);
  }

  /** The newest checkpoint in the log (written now or before a restart). */
  public synchronized Optional<Checkpoint> latestCheckpoint() {
    return Optional.ofNullable(latest);
  }

  /** Number of records in the log (the seq of the newest). */
  public synchronized long size() {
    return seq;
  }

  public Path file() {
    return file;
  }

  /** Forces everything written so far to disk (for {@link FsyncPolicy#batched} users at a safe point). */
  public void sync() {
    synchronized (this) {
      ensureWritable();
    }
    syncTo(writtenOffset);
  }

  /**
   * The lines of every record whose {@code taskId} is {@code taskId}, oldest first, as written
   * (canonical JSON, no newline). Reads the file: O(log size), meant for the hub's occasional query.
   */
  public List<String> recordsForTask(String taskId) {
    Objects.requireNonNull(taskId, "taskId");
    long limit;
    synchronized (this) {
      if (closed) {
        throw new AuditLogException("audit log " + file + " is closed");
      }
      limit = writeOffset;
    }
    // Cheap byte filter first; then a real parse, because a field map may itself hold a "taskId" key.
    byte[] needle = ("\"taskId\":" + CanonicalJson.write(taskId) + ",").getBytes(StandardCharsets.UTF_8);
    List<String> out = new ArrayList<>();
    try {
      LogLines.scan(channel, limit, (lineNo, offset, bytes) -> {
        if (AuditFiles.indexOf(bytes, needle) >= 0) {
          String line = new String(bytes, StandardCharsets.UTF_8);
          if (CanonicalJson.parseObject(line).get("taskId") instanceof String t && t.equals(taskId)) {
            out.add(line);
          }
        }
      });
    } catch (IOException e) {
      throw new AuditLogException("cannot read audit log " + file + ": " + e, e);
    }
    return out;
  }

  /** Writes a final checkpoint over any records after the last one, forces the file and releases it. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      try {
        if (failure == null && sinceCheckpoint > 0) {
          writeCheckpoint();
        }
      } finally {
        closed = true;
      }
    }
    deliverCheckpoints();
    try {
      channel.force(false);
      lock.release();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot sync audit log " + file + " on close", e);
    } finally {
      AuditFiles.closeQuietly(channel);
    }
  }

  static List<String> hexList(List<byte[]> hashes) {
    return hashes.stream().map(Hashing::hex).toList();
  }

  // ---- under the lock ----

  private void ensureWritable() {
    if (closed) {
      throw new AuditLogException("audit log " + file + " is closed");
    }
    if (failure != null) {
      throw new AuditLogException("audit log " + file + " failed earlier and takes no more records: " + failure, failure);
    }
  }

  private AuditRecord write(String type, String taskId, Map<String, ?> fields) {
    long time = clock.millis();
    String prev = Hashing.hex(lastHash);
    // The six keys in their canonical (sorted) order: fields, prev, seq, taskId, time, type.
    StringBuilder b = new StringBuilder(256).append("{\"fields\":");
    CanonicalJson.writeTo(b, fields); // refuses bad values before anything touches the file
    b.append(",\"prev\":\"").append(prev).append("\",\"seq\":").append(seq + 1).append(",\"taskId\":");
    CanonicalJson.writeTo(b, taskId);
    b.append(",\"time\":").append(time).append(",\"type\":");
    CanonicalJson.writeTo(b, type);
    String json = b.append('}').toString();
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_RECORD_BYTES) {
      throw new IllegalArgumentException("audit record of " + bytes.length + " bytes exceeds " + MAX_RECORD_BYTES);
    }
    ByteBuffer buf = ByteBuffer.allocate(bytes.length + 1).put(bytes).put((byte) '\n').flip();
    try {
      long pos = writeOffset;
      while (buf.hasRemaining()) {
        pos += channel.write(buf, pos);
      }
    } catch (IOException e) {
      // A partial line may be on disk now; the next open sets it aside as a torn tail.
      failure = e;
      LOG.log(Level.SEVERE, "audit log " + file + " write failed; no more records will be written", e);
      throw new AuditLogException("cannot write audit log " + file + ": " + e, e);
    }
    byte[] hash = Hashing.recordHash(md, bytes);
    tree.append(Hashing.leafHash(md, bytes));
    seq++;
    lastHash = hash;
    writeOffset += bytes.length + 1;
    writtenOffset = writeOffset;
    @SuppressWarnings("unchecked") // the record's constructor copies it into a frozen Map<String, Object>
    Map<String, Object> values = (Map<String, Object>) fields;
    return new AuditRecord(seq, time, type, taskId, values, prev, Hashing.hex(hash), json);
  }

  private void writeCheckpoint() {
    long size = seq;
    byte[] root = tree.root();
    byte[] last = lastHash;
    long now = clock.millis();
    byte[] signature;
    try {
      signature = signer.sign(Checkpoint.signedMessage(size, root, last, now));
    } catch (RuntimeException e) {
      // Records matter more than their checkpoint: keep logging, try again at the next threshold.
      LOG.log(Level.SEVERE, "cannot sign an audit checkpoint over " + size + " records; skipped", e);
      sinceCheckpoint = 0;
      return;
    }
    Checkpoint c = new Checkpoint(size, root, last, now, signature, signer.algorithm());
    Map<String, Object> fields = c.toJsonMap();
    fields.put(COMPACT_RANGE, hexList(tree.compactRange()));
    write(AuditTypes.CHECKPOINT, "", fields);
    sinceCheckpoint = 0;
    latest = c;
    // The hub must never hold a checkpoint over records this node could still lose.
    syncTo(writeOffset);
    undelivered.add(c);
  }

  // ---- outside the lock (syncLock is only ever taken after this, never before) ----

  private void syncTo(long end) {
    synchronized (syncLock) {
      if (syncedOffset >= end) {
        return; // someone else's force covered this record (group commit)
      }
      long target = writtenOffset;
      try {
        channel.force(false);
      } catch (IOException e) {
        throw new AuditLogException("cannot sync audit log " + file + ": " + e, e);
      }
      syncedOffset = target;
    }
  }

  private void deliverCheckpoints() {
    synchronized (deliveryLock) {
      while (true) {
        Checkpoint c;
        synchronized (this) {
          c = undelivered.poll();
        }
        if (c == null) {
          return;
        }
        try {
          sink.checkpoint(c);
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "checkpoint sink failed for tree size " + c.treeSize() + "; it stays in the log", e);
        }
      }
    }
  }

  /** Carries the first problem out of the walker while opening. */
  private static final class Broken extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient VerificationReport.Problem problem;

    Broken(VerificationReport.Problem problem) {
      super(problem.toString(), null, false, false);
      this.problem = problem;
    }
  }
}
