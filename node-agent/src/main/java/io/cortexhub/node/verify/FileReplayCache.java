package io.cortexhub.node.verify;

import com.google.protobuf.ByteString;
import io.cortexhub.node.logging.AgentLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.zip.CRC32C;

/**
 * A replay cache kept in one append-only file, so that a task replayed after an agent restart is
 * still refused.
 *
 * <p>File: an 8-byte magic, then fixed 28-byte records {@code retainUntil (8, big-endian epoch ms)
 * | nonce (16) | CRC32C of the previous 24 bytes (4)}. Every new nonce is appended and forced to
 * disk before {@link #firstUse} returns true, so a crash cannot lose a nonce whose task ran. On
 * opening, expired, torn (a crash mid-write) and corrupt records are dropped and the file is
 * rewritten with the live ones (temp file, fsync, atomic rename); it is rewritten the same way when
 * more than half of it has expired. The file is created {@code 0600}.
 *
 * <p>Thread-safe (synchronized).
 */
public final class FileReplayCache implements ReplayCache {
  static final byte[] MAGIC = {'C', 'X', 'N', 'O', 'N', 'C', 'E', '1'};
  static final int RECORD_BYTES = 8 + NONCE_LENGTH + 4;
  /** Below this many records the file is never compacted while running: not worth the I/O. */
  static final int COMPACT_MIN_RECORDS = 4096;

  private final Path file;
  private final Clock clock;
  private final AgentLog log;
  private final int compactMinRecords;
  private final Map<ByteString, Long> retainUntil = new HashMap<>();
  private final PriorityQueue<Map.Entry<ByteString, Long>> byExpiry =
      new PriorityQueue<>(Comparator.comparingLong(Map.Entry::getValue));
  private FileChannel out;
  private long recordsInFile;

  private FileReplayCache(Path file, Clock clock, AgentLog log, int compactMinRecords) {
    this.file = file;
    this.clock = clock;
    this.log = log;
    this.compactMinRecords = compactMinRecords;
  }

  /**
   * Opens (or creates) the cache file, keeping the nonces that are still live.
   *
   * @throws ReplayCacheException if the file cannot be read or rewritten
   */
  public static FileReplayCache open(Path file, Clock clock, AgentLog log) {
    return open(file, clock, log, COMPACT_MIN_RECORDS);
  }

  static FileReplayCache open(Path file, Clock clock, AgentLog log, int compactMinRecords) {
    FileReplayCache c =
        new FileReplayCache(
            Objects.requireNonNull(file, "file").toAbsolutePath(),
            Objects.requireNonNull(clock, "clock"),
            Objects.requireNonNull(log, "log"),
            compactMinRecords);
    synchronized (c) {
      c.load();
      c.rewrite();
    }
    return c;
  }

  public Path file() {
    return file;
  }

  @Override
  public synchronized boolean firstUse(ByteString nonce, Instant until) {
    InMemoryReplayCache.checkLength(nonce);
    ensureOpen();
    prune();
    if (retainUntil.containsKey(nonce)) {
      return false;
    }
    long ms = until.toEpochMilli();
    // Remembered even if the write fails: within this process the nonce stays burnt either way.
    remember(nonce, ms);
    try {
      ByteBuffer rec = encode(nonce, ms);
      while (rec.hasRemaining()) {
        out.write(rec);
      }
      out.force(false);
      recordsInFile++;
    } catch (IOException e) {
      throw new ReplayCacheException("cannot record a task nonce in " + file + ": " + e.getMessage(), e);
    }
    if (recordsInFile >= compactMinRecords && recordsInFile > 2L * retainUntil.size()) {
      rewrite();
    }
    return true;
  }

  @Override
  public synchronized int size() {
    prune();
    return retainUntil.size();
  }

  @Override
  public synchronized void close() {
    if (out != null) {
      try {
        out.close();
      } catch (IOException e) {
        log.warn("cannot close replay cache " + file + ": " + e.getMessage());
      }
      out = null;
    }
  }

  private void ensureOpen() {
    if (out == null) {
      throw new IllegalStateException("replay cache " + file + " is closed");
    }
  }

  private void remember(ByteString nonce, long ms) {
    retainUntil.put(nonce, ms);
    byExpiry.add(Map.entry(nonce, ms));
  }

  private void prune() {
    long now = clock.millis();
    while (!byExpiry.isEmpty() && byExpiry.peek().getValue() < now) {
      retainUntil.remove(byExpiry.poll().getKey());
    }
  }

  private void load() {
    if (!Files.exists(file)) {
      return;
    }
    byte[] all;
    try {
      all = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ReplayCacheException("cannot read replay cache " + file + ": " + e.getMessage(), e);
    }
    if (all.length < MAGIC.length || !java.util.Arrays.equals(all, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      Path aside = file.resolveSibling(file.getFileName() + ".unreadable-" + clock.millis());
      try {
        Files.move(file, aside);
      } catch (IOException e) {
        throw new ReplayCacheException("cannot move unreadable replay cache " + file + " aside", e);
      }
      log.warn("replay cache " + file + " is not a replay cache file; moved it to " + aside + " and started empty");
      return;
    }
    long now = clock.millis();
    int corrupt = 0;
    int expired = 0;
    ByteBuffer buf = ByteBuffer.wrap(all, MAGIC.length, all.length - MAGIC.length);
    while (buf.remaining() >= RECORD_BYTES) {
      int start = buf.position();
      long until = buf.getLong();
      byte[] nonce = new byte[NONCE_LENGTH];
      buf.get(nonce);
      int crc = buf.getInt();
      if (crc != crc(all, start, 8 + NONCE_LENGTH)) {
        corrupt++;
      } else if (until < now) {
        expired++;
      } else {
        remember(ByteString.copyFrom(nonce), until);
      }
    }
    boolean torn = buf.hasRemaining();
    if (corrupt > 0 || torn) {
      log.warn(
          "replay cache "
              + file
              + ": dropped "
              + corrupt
              + " corrupt record(s)"
              + (torn ? " and a torn last record (the agent stopped mid-write)" : ""));
    }
    log.debug("replay cache " + file + ": " + retainUntil.size() + " live nonce(s), " + expired + " expired");
  }

  /** Writes the live nonces to a fresh file and swaps it in atomically; reopens the append channel. */
  private void rewrite() {
    prune();
    close();
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.deleteIfExists(tmp);
      createPrivate(tmp);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.allocate(MAGIC.length + RECORD_BYTES * retainUntil.size());
        buf.put(MAGIC);
        for (Map.Entry<ByteString, Long> e : retainUntil.entrySet()) {
          buf.put(encode(e.getKey(), e.getValue()));
        }
        buf.flip();
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      forceDirectory(file.getParent());
      out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      recordsInFile = retainUntil.size();
    } catch (IOException e) {
      throw new ReplayCacheException("cannot rewrite replay cache " + file + ": " + e.getMessage(), e);
    }
  }

  private static ByteBuffer encode(ByteString nonce, long until) {
    ByteBuffer rec = ByteBuffer.allocate(RECORD_BYTES);
    rec.putLong(until);
    nonce.copyTo(rec);
    rec.putInt(crc(rec.array(), 0, 8 + NONCE_LENGTH));
    return rec.flip();
  }

  private static int crc(byte[] bytes, int offset, int length) {
    CRC32C c = new CRC32C();
    c.update(bytes, offset, length);
    return (int) c.getValue();
  }

  private static void createPrivate(Path p) throws IOException {
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      FileAttribute<?> mode = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
      Files.createFile(p, mode);
    } else {
      Files.createFile(p);
    }
  }

  /** Makes the rename itself durable (POSIX: fsync the directory); a no-op where unsupported. */
  private static void forceDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Windows cannot open a directory; the rename is still atomic there.
    }
  }
}
