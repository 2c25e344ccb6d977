package io.cortexhub.node.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.cortexhub.node.logging.AgentLog;
import io.cortexhub.node.logging.LogContext;
import io.cortexhub.node.testing.FakeClock;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileReplayCacheTest {
  @TempDir Path dir;
  final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
  final AgentLog log = AgentLog.of(FileReplayCacheTest.class, LogContext.ofNode("test"));

  static ByteString nonce(int i) {
    byte[] n = new byte[16];
    n[15] = (byte) i;
    n[0] = (byte) (i >> 8);
    return ByteString.copyFrom(n);
  }

  Instant in(Duration d) {
    return clock.instant().plus(d);
  }

  @Test
  void aNonceIsNewOnce_thenSeen() {
    try (FileReplayCache c = FileReplayCache.open(dir.resolve("r.bin"), clock, log)) {
      assertThat(c.firstUse(nonce(1), in(Duration.ofMinutes(1)))).isTrue();
      assertThat(c.firstUse(nonce(1), in(Duration.ofMinutes(1)))).isFalse();
      assertThat(c.firstUse(nonce(2), in(Duration.ofMinutes(1)))).isTrue();
      assertThat(c.size()).isEqualTo(2);
    }
  }

  @Test
  void nonces_surviveAReopen_untilTheyExpire() {
    Path f = dir.resolve("r.bin");
    try (FileReplayCache c = FileReplayCache.open(f, clock, log)) {
      c.firstUse(nonce(1), in(Duration.ofMinutes(1)));
      c.firstUse(nonce(2), in(Duration.ofMinutes(10)));
    }
    clock.advance(Duration.ofMinutes(2));
    try (FileReplayCache c = FileReplayCache.open(f, clock, log)) {
      assertThat(c.size()).isEqualTo(1);
      assertThat(c.firstUse(nonce(2), in(Duration.ofMinutes(10)))).isFalse();
      assertThat(c.firstUse(nonce(1), in(Duration.ofMinutes(1)))).isTrue(); // expired: forgotten
    }
  }

  @Test
  void theFileIsPrivate_andCompactedOnOpen() throws Exception {
    Path f = dir.resolve("r.bin");
    try (FileReplayCache c = FileReplayCache.open(f, clock, log)) {
      for (int i = 0; i < 10; i++) {
        c.firstUse(nonce(i), in(Duration.ofSeconds(i < 5 ? 1 : 100)));
      }
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
    assertThat(Files.size(f)).isEqualTo(FileReplayCache.MAGIC.length + 10L * FileReplayCache.RECORD_BYTES);
    clock.advance(Duration.ofSeconds(2));
    FileReplayCache.open(f, clock, log).close();
    assertThat(Files.size(f)).isEqualTo(FileReplayCache.MAGIC.length + 5L * FileReplayCache.RECORD_BYTES);
  }

  @Test
  void aTornLastRecord_isDropped_theOthersKept() throws Exception {
    Path f = dir.resolve("r.bin");
    try (FileReplayCache c = FileReplayCache.open(f, clock, log)) {
      c.firstUse(nonce(1), in(Duration.ofMinutes(1)));
      c.firstUse(nonce(2), in(Duration.ofMinutes(1)));
    }
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.setLength(raf.length() - 5); // the agent died mid-write
    }
    try (FileReplayCache c = FileReplayCache.open(f, clock, log)) {
      assertThat(c.firstUse(nonce(1), in(Duration.ofMinutes(1)))).isFalse();
      assertThat(c.size()).isEqualTo(1);
    }
  }

  @Test
  void aCorruptRecord_isDropped_theOthersKept() throws Exception {
    Path f = dir.resolve("r.bin");
    try (FileReplayCache c = FileReplayCache.open(f, clock, log)) {
      c.firstUse(nonce(1), in(Duration.ofMinutes(1)));
      c.firstUse(nonce(2), in(Duration.ofMinutes(1)));
    }
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.seek(FileReplayCache.MAGIC.length + 10); // inside the first record's nonce
      raf.write(0x7f);
    }
    try (FileReplayCache c = FileReplayCache.open(f, clock, log)) {
      assertThat(c.size()).isEqualTo(1);
      assertThat(c.firstUse(nonce(2), in(Duration.ofMinutes(1)))).isFalse();
    }
  }

  @Test
  void aFileThatIsNotACache_isMovedAside() throws Exception {
    Path f = Files.writeString(dir.resolve("r.bin"), "something else");
    try (FileReplayCache c = FileReplayCache.open(f, clock, log)) {
      assertThat(c.size()).isZero();
    }
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("r.bin.unreadable-"));
    }
  }

  @Test
  void manyExpiredNonces_areCompactedWhileRunning() throws Exception {
    Path f = dir.resolve("r.bin");
    try (FileReplayCache c = FileReplayCache.open(f, clock, log, 64)) {
      for (int i = 0; i < 500; i++) {
        c.firstUse(nonce(i), in(Duration.ofMillis(10)));
        clock.advance(Duration.ofMillis(1));
      }
      assertThat(Files.size(f)).isLessThan(FileReplayCache.MAGIC.length + 128L * FileReplayCache.RECORD_BYTES);
      assertThat(c.size()).isLessThanOrEqualTo(11);
      assertThat(c.firstUse(nonce(499), in(Duration.ofMillis(10)))).isFalse(); // live ones survive compaction
    }
  }

  @Test
  void aNonceOfTheWrongLength_isRefused() {
    try (FileReplayCache c = FileReplayCache.open(dir.resolve("r.bin"), clock, log)) {
      assertThatThrownBy(() -> c.firstUse(ByteString.copyFromUtf8("short"), in(Duration.ofMinutes(1))))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
