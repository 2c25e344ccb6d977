package io.cortexhub.node.verify;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.cortexhub.node.testing.TestTaskSigner;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskVerifierTest {
  private final TestTaskSigner hub = TestTaskSigner.create();
  private final ByteString task = ByteString.copyFromUtf8("exact task bytes");

  @Test
  void signatureOverTheExactBytes_byThePinnedKey_verifies() {
    assertThatCode(() -> hub.verifier().verify(task, hub.sign(task), hub.keyId())).doesNotThrowAnyException();
  }

  @Test
  void replacedKeys_acceptTheNewKey_andRefuseTheOld() {
    TaskVerifier v = hub.verifier();
    TestTaskSigner rotated = TestTaskSigner.create();
    v.replaceKeys(List.of(rotated.trustedKey()));
    assertThatCode(() -> v.verify(task, rotated.sign(task), rotated.keyId())).doesNotThrowAnyException();
    assertThatThrownBy(() -> v.verify(task, hub.sign(task), hub.keyId()))
        .isInstanceOf(BadTaskSignatureException.class)
        .hasMessageContaining("unknown task-signing key id");
  }

  @Test
  void duringAKeyRotation_bothPinnedKeysVerify() {
    TestTaskSigner next = TestTaskSigner.create();
    TaskVerifier v = new TaskVerifier(List.of(hub.trustedKey(), next.trustedKey()));
    assertThatCode(() -> v.verify(task, hub.sign(task), hub.keyId())).doesNotThrowAnyException();
    assertThatCode(() -> v.verify(task, next.sign(task), next.keyId())).doesNotThrowAnyException();
    // ...but a signature by one key under the other's id does not.
    assertThatThrownBy(() -> v.verify(task, next.sign(task), hub.keyId())).isInstanceOf(BadTaskSignatureException.class);
  }

  @Test
  void nullKeyId_isUnknown() {
    assertThatThrownBy(() -> hub.verifier().verify(task, hub.sign(task), null))
        .isInstanceOf(BadTaskSignatureException.class)
        .hasMessageContaining("unknown");
  }

  @Test
  void noPinnedKey_orAKeyThatIsNotEd25519_isRefusedUpFront() {
    assertThatThrownBy(() -> new TaskVerifier(List.of())).isInstanceOf(IllegalArgumentException.class);
    byte[] spki = hub.signingKey().getPublicKey().toByteArray();
    assertThatThrownBy(() -> TrustedSigningKey.fromSpki("k", "ECDSA", spki))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("only Ed25519");
    assertThatThrownBy(() -> TrustedSigningKey.fromSpki("k", "Ed25519", new byte[] {1, 2, 3}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TaskVerifier(List.of(hub.trustedKey(), hub.trustedKey())))
        .hasMessageContaining("appears twice");
  }
}
