package io.cortexhub.hub.signing;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortexhub.hub.config.HubSettings;
import io.cortexhub.hub.connector.api.TaskEnvelope;
import io.cortexhub.hub.dispatch.TaskId;
import io.cortexhub.hub.pki.HubPki;
import io.cortexhub.hub.testing.FakeClock;
import io.cortexhub.hub.testing.HubHarness;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

class Ed25519TaskSignerTest {
  private final SecureRandom random = new SecureRandom();
  private final byte[] spec = "the exact task bytes".getBytes(StandardCharsets.UTF_8);

  @Test
  void signature_verifiesOverTheExactBytes_only() {
    Ed25519TaskSigner signer = Ed25519TaskSigner.generate(random);
    TaskEnvelope e = signer.sign(new TaskId("t1"), spec);

    assertThat(e.spec()).isSameAs(spec);
    assertThat(e.keyId()).matches("ed25519-[0-9a-f]{16}").isEqualTo(signer.keyId());
    assertThat(e.signature()).hasSize(64);
    assertThat(TaskSignatures.verify(signer.keys(), e.keyId(), spec, e.signature())).isTrue();

    byte[] flipped = spec.clone();
    flipped[3] ^= 1;
    assertThat(TaskSignatures.verify(signer.keys(), e.keyId(), flipped, e.signature()))
        .as("flipped byte").isFalse();
    assertThat(TaskSignatures.verify(Ed25519TaskSigner.generate(random).keys(), e.keyId(), spec,
        e.signature())).as("another key under the same id is not listed").isFalse();
    List<TaskSigningKey> wrongKey = List.of(new TaskSigningKey(e.keyId(), "Ed25519",
        Ed25519TaskSigner.generate(random).keys().get(0).publicKey()));
    assertThat(TaskSignatures.verify(wrongKey, e.keyId(), spec, e.signature()))
        .as("wrong key").isFalse();
    assertThat(TaskSignatures.verify(signer.keys(), "ed25519-0000000000000000", spec,
        e.signature())).as("unknown key id").isFalse();
    assertThat(TaskSignatures.verify(signer.keys(), e.keyId(), spec, new byte[0]))
        .as("empty signature").isFalse();
  }

  @Test
  void hubKey_isStoredInThePkiKeystore_andTheSameAfterARestart() {
    HubSettings settings = HubSettings.defaults(HubHarness.tempDataDir());
    FakeClock clock = new FakeClock();
    Ed25519TaskSigner first = Ed25519TaskSigner.loadOrCreate(
        HubPki.loadOrCreate(settings, clock, random), clock, random);
    Ed25519TaskSigner second = Ed25519TaskSigner.loadOrCreate(
        HubPki.loadOrCreate(settings, clock, random), clock, random);

    assertThat(second.keyId()).isEqualTo(first.keyId());
    TaskEnvelope e = first.sign(new TaskId("t"), spec);
    assertThat(TaskSignatures.verify(second.keys(), e.keyId(), spec, e.signature())).isTrue();
  }
}
