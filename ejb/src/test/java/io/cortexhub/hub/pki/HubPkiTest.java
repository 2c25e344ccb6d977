package io.cortexhub.hub.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortexhub.hub.config.HubSettings;
import io.cortexhub.hub.registry.NodeId;
import io.cortexhub.hub.registry.NodeIdentity;
import io.cortexhub.hub.testing.FakeClock;
import io.cortexhub.hub.testing.HubHarness;
import io.cortexhub.hub.workspace.WorkspaceId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.junit.jupiter.api.Test;

class HubPkiTest {
  private static final Set<PosixFilePermission> OWNER_ONLY = Set.of(
      PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  private final FakeClock clock = new FakeClock();
  private final SecureRandom random = new SecureRandom();
  private final Path data = HubHarness.tempDataDir();
  private final HubSettings settings = HubSettings.defaults(data);

  @Test
  void firstBoot_generatesAProtectedKeystore_andLaterBootsReuseIt() throws Exception {
    HubPki first = HubPki.loadOrCreate(settings, clock, random);
    Path pki = data.resolve("pki");

    assertThat(first.status().activeFingerprint()).matches("sha256:[0-9a-f]{64}");
    assertThat(Files.getPosixFilePermissions(pki.resolve("hub-pki.p12"))).isEqualTo(OWNER_ONLY);
    assertThat(Files.getPosixFilePermissions(pki.resolve("keystore.password")))
        .isEqualTo(OWNER_ONLY);
    assertThat(Files.getPosixFilePermissions(pki)).containsExactlyInAnyOrder(
        PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
        PosixFilePermission.OWNER_EXECUTE);
    try (var files = Files.list(pki)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("no private key outside the keystore")
          .containsExactlyInAnyOrder("hub-pki.p12", "keystore.password", "pki.properties",
              "ca.pem");
    }
    HubPki second = HubPki.loadOrCreate(settings, clock, random);
    assertThat(second.status()).isEqualTo(first.status());
    assertThat(second.snapshot().serverChain()).isEqualTo(first.snapshot().serverChain());
  }

  @Test
  void configuredPassword_protectsTheKeystore_andAWrongOneIsRefusedClearly() {
    HubSettings withPassword = settings.withPki(new HubSettings.Pki(Optional.of("s3cret"),
        Optional.empty(), Optional.empty(), Duration.ofHours(24), Duration.ofMinutes(15)));
    HubPki.loadOrCreate(withPassword, clock, random);
    assertThat(data.resolve("pki").resolve("keystore.password")).doesNotExist();

    HubSettings wrong = settings.withPki(new HubSettings.Pki(Optional.of("guess"),
        Optional.empty(), Optional.empty(), Duration.ofHours(24), Duration.ofMinutes(15)));
    assertThatThrownBy(() -> HubPki.loadOrCreate(wrong, clock, random))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("wrong cortex.pki.keystore-password");
  }

  @Test
  void legacyPemLayout_isImported_soPinnedFingerprintsStayValid() throws Exception {
    KeyPair caKeys = Certificates.ecKeyPair(random);
    X509Certificate ca = Certificates.ca(caKeys, "Cortex Hub CA old", clock.instant(),
        Duration.ofDays(3650), random);
    Path tls = data.resolve("tls");
    Files.createDirectories(tls);
    Files.writeString(tls.resolve("ca.pem"), Pem.encode(List.of(ca)));
    Files.writeString(tls.resolve("ca-key.pem"),
        Pem.encode(List.of(new JcaPKCS8Generator(caKeys.getPrivate(), null).generate())));

    HubPki pki = HubPki.loadOrCreate(settings, clock, random);

    assertThat(pki.status().activeFingerprint()).isEqualTo(Pem.fingerprint(ca));
    assertThat(pki.snapshot().serverCaFingerprint()).isEqualTo(Pem.fingerprint(ca));
  }

  @Test
  void operatorCa_issuesNodeCertificates_andCannotBeRotatedHere() throws Exception {
    KeyPair caKeys = Certificates.ecKeyPair(random);
    X509Certificate ca = Certificates.ca(caKeys, "Operator CA", clock.instant(),
        Duration.ofDays(365), random);
    Path cert = data.resolve("op-ca.pem");
    Path key = data.resolve("op-ca-key.pem");
    Files.createDirectories(data);
    Files.writeString(cert, Pem.encode(List.of(ca)));
    Files.writeString(key,
        Pem.encode(List.of(new JcaPKCS8Generator(caKeys.getPrivate(), null).generate())));
    HubSettings operator = settings.withPki(new HubSettings.Pki(Optional.empty(),
        Optional.of(cert), Optional.of(key), Duration.ofHours(1), Duration.ofMinutes(15)));

    HubPki pki = HubPki.loadOrCreate(operator, clock, random);
    X509Certificate node = pki.issueNodeCertificate(Certificates.ecKeyPair(random).getPublic(),
        new NodeIdentity(new NodeId("n-abcdefghijklmnopqrst"), WorkspaceId.DEFAULT));

    node.verify(ca.getPublicKey());
    assertThat(pki.status().activeFingerprint()).isEqualTo(Pem.fingerprint(ca));
    assertThat(pki.snapshot().serverCaFingerprint()).isEqualTo(Pem.fingerprint(ca));
    assertThatThrownBy(() -> pki.startRotation("admin")).isInstanceOf(CaRotationException.class)
        .hasMessageContaining("supplied by the operator");
    assertThat(NodeIdentities.of(node)).contains(
        new NodeIdentity(new NodeId("n-abcdefghijklmnopqrst"), WorkspaceId.DEFAULT));
  }

  @Test
  void nodeIdentity_isReadOnlyFromWellFormedNodeCertificates() {
    HubPki pki = HubPki.loadOrCreate(settings, clock, random);
    assertThat(NodeIdentities.of(pki.snapshot().serverChain().get(0))).isEmpty();
    assertThat(NodeIdentities.of(pki.snapshot().issuing().certificate())).isEmpty();
  }
}
