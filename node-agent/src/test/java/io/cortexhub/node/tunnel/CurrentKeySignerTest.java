package io.cortexhub.node.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortexhub.node.audit.AuditLog;
import io.cortexhub.node.audit.AuditTypes;
import io.cortexhub.node.audit.Checkpoint;
import io.cortexhub.node.audit.CheckpointSink;
import io.cortexhub.node.testing.FakeClock;
import io.cortexhub.node.testing.TestCa;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints are signed with the node certificate's key of the moment: a renewal switches it. */
class CurrentKeySignerTest {
  @TempDir Path dir;

  @Test
  void afterARenewal_theNextCheckpointIsSignedWithTheNewKey() {
    KeyPair before = TestCa.ecKeys();
    KeyPair after = TestCa.ecKeys();
    AtomicReference<PrivateKey> current = new AtomicReference<>(before.getPrivate());
    List<Checkpoint> sent = new CopyOnWriteArrayList<>();
    CheckpointSink sink = sent::add;
    try (AuditLog log = AuditLog.open(dir.resolve("audit.log"), new CurrentKeySigner(current::get), 2,
        new FakeClock(Instant.parse("2026-01-01T00:00:00Z")), sink)) {
      log.append(AuditTypes.TASK_RECEIVED, "t-1", Map.of());
      log.append(AuditTypes.TASK_VERIFIED, "t-1", Map.of());
      current.set(after.getPrivate()); // the renewer swapped in a new key pair
      log.append(AuditTypes.PROCESS_STARTED, "t-1", Map.of());
      log.append(AuditTypes.PROCESS_EXITED, "t-1", Map.of());
    }

    assertThat(sent).hasSizeGreaterThanOrEqualTo(2);
    assertThat(sent.get(0).algorithm()).isEqualTo("SHA256withECDSA");
    assertThat(sent.get(0).verify(before.getPublic())).isTrue();
    assertThat(sent.get(1).verify(after.getPublic())).isTrue();
    assertThat(sent.get(1).verify(before.getPublic())).isFalse();
  }
}
