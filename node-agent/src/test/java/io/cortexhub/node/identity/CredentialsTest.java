package io.cortexhub.node.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortexhub.node.testing.TestCa;
import io.cortexhub.node.testing.TestTaskSigner;
import io.cortexhub.proto.node.v1.NodeCredentialBundle;
import io.cortexhub.proto.node.v1.TaskSigningKey;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A bundle is accepted only if it is consistent with the node's key and with itself. */
class CredentialsTest {
  static final TestCa CA = TestCa.create("Cortex Test CA");
  static final TestTaskSigner SIGNER = TestTaskSigner.create();
  final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  final KeyPair keys = TestCa.ecKeys();

  NodeCredentialBundle bundle(X509Certificate cert, String nodeId) {
    return CA.bundle(cert, nodeId, "ws-a", List.of(CA), List.of(SIGNER.signingKey()));
  }

  X509Certificate cert(KeyPair k, String nodeId) {
    return CA.issueNode(k.getPublic(), nodeId, "ws-a", now, now.plus(Duration.ofHours(24)));
  }

  @Test
  void aConsistentBundle_givesTheIdentityTheHubChose() {
    Credentials c = Credentials.fromBundle(bundle(cert(keys, "n-1"), "n-1"), keys.getPrivate());
    assertThat(c.nodeId()).isEqualTo("n-1");
    assertThat(c.workspace()).isEqualTo("ws-a");
    assertThat(c.labels()).containsEntry("pool", "test");
    assertThat(c.notAfter()).isEqualTo(now.plus(Duration.ofHours(24)));
    assertThat(c.lifetime()).isEqualTo(Duration.ofHours(24));
    assertThat(c.signingKeys()).extracting(k -> k.keyId()).containsExactly(SIGNER.keyId());
    assertThat(c.trustedCaFingerprints()).containsExactly(CA.fingerprint());
    assertThat(c.expiredAt(now.plus(Duration.ofHours(24)))).isTrue();
    assertThat(c.expiredAt(now.plus(Duration.ofHours(23)))).isFalse();
    assertThat(c.toString()).contains("n-1").doesNotContain("private");
  }

  @Test
  void aCertificateForAnotherKey_isRefused() {
    KeyPair other = TestCa.ecKeys();
    assertThatThrownBy(() -> Credentials.fromBundle(bundle(cert(other, "n-1"), "n-1"), keys.getPrivate()))
        .isInstanceOf(InvalidCredentialsException.class)
        .hasMessageContaining("not issued for this node's private key");
  }

  @Test
  void aCertificateForAnotherNode_isRefused() {
    assertThatThrownBy(() -> Credentials.fromBundle(bundle(cert(keys, "n-2"), "n-1"), keys.getPrivate()))
        .isInstanceOf(InvalidCredentialsException.class)
        .hasMessageContaining("CN=n-2");
  }

  @Test
  void aCertificateNotIssuedByAnyCaInTheBundle_isRefused() {
    TestCa rogue = TestCa.create("Cortex Test CA"); // same name, other key
    X509Certificate forged = rogue.issueNode(keys.getPublic(), "n-1", "ws-a", now, now.plus(Duration.ofHours(1)));
    NodeCredentialBundle b =
        bundle(forged, "n-1").toBuilder().setCertificateChainPem(TestCa.pem(forged)).build();
    assertThatThrownBy(() -> Credentials.fromBundle(b, keys.getPrivate()))
        .isInstanceOf(InvalidCredentialsException.class)
        .hasMessageContaining("not signed by any CA");
  }

  @Test
  void noTrustedCa_noSigningKey_orNoIdentity_isRefused() {
    NodeCredentialBundle good = bundle(cert(keys, "n-1"), "n-1");
    assertThatThrownBy(() -> Credentials.fromBundle(good.toBuilder().setTrustedCasPem("").build(), keys.getPrivate()))
        .hasMessageContaining("trusts no hub CA");
    assertThatThrownBy(() -> Credentials.fromBundle(good.toBuilder().clearTaskSigningKeys().build(), keys.getPrivate()))
        .hasMessageContaining("no usable task-signing key");
    TaskSigningKey ecdsa = SIGNER.signingKey().toBuilder().setAlgorithm("ECDSA").build();
    assertThatThrownBy(
            () -> Credentials.fromBundle(good.toBuilder().clearTaskSigningKeys().addTaskSigningKeys(ecdsa).build(), keys.getPrivate()))
        .hasMessageContaining("only Ed25519");
    assertThatThrownBy(() -> Credentials.fromBundle(good.toBuilder().setNodeId("").build(), keys.getPrivate()))
        .hasMessageContaining("no node id");
    assertThatThrownBy(
            () -> Credentials.fromBundle(good.toBuilder().setCertificateChainPem("-----BEGIN CERTIFICATE-----\nxx\n-----END CERTIFICATE-----\n").build(), keys.getPrivate()))
        .isInstanceOf(InvalidCredentialsException.class);
  }

  @Test
  void aSigningKeyOfAnUnknownAlgorithm_isIgnored_ifAnEd25519KeyRemains() {
    TaskSigningKey future = SIGNER.signingKey().toBuilder().setKeyId("pq-1").setAlgorithm("ML-DSA-65").build();
    NodeCredentialBundle b = bundle(cert(keys, "n-1"), "n-1").toBuilder().addTaskSigningKeys(future).build();
    assertThat(Credentials.fromBundle(b, keys.getPrivate()).signingKeys()).extracting(k -> k.keyId()).containsExactly(SIGNER.keyId());
  }
}
