package io.cortexhub.node.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortexhub.node.testing.TestCa;
import io.cortexhub.node.testing.TestTaskSigner;
import io.cortexhub.node.tunnel.HubAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialStoreTest {
  static final TestCa CA = TestCa.create("Cortex Test CA");
  static final TestTaskSigner SIGNER = TestTaskSigner.create();

  @TempDir Path tmp;

  static Credentials credentials(String nodeId) {
    KeyPair keys = TestCa.ecKeys();
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    X509Certificate cert = CA.issueNode(keys.getPublic(), nodeId, "default", now, now.plus(Duration.ofHours(24)));
    return Credentials.fromBundle(
        CA.bundle(cert, nodeId, "default", List.of(CA), List.of(SIGNER.signingKey())), keys.getPrivate());
  }

  static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void savedCredentials_loadBackEqual_inAPrivateDirectoryAndFile() throws Exception {
    Path state = tmp.resolve("a").resolve("state");
    CredentialStore store = new CredentialStore(state);
    assertThat(store.hasCredentials()).isFalse();
    assertThat(store.load()).isEmpty();
    Credentials c = credentials("n-1");
    store.save(c);

    Credentials back = store.load().orElseThrow();
    assertThat(back.nodeId()).isEqualTo("n-1");
    assertThat(back.privateKey().getEncoded()).isEqualTo(c.privateKey().getEncoded());
    assertThat(back.certificate()).isEqualTo(c.certificate());
    assertThat(back.trustedCas()).isEqualTo(c.trustedCas());
    assertThat(back.bundle()).isEqualTo(c.bundle());
    assertThat(mode(state)).isEqualTo("rwx------");
    assertThat(mode(store.credentialsFile())).isEqualTo("rw-------");
    try (var files = Files.list(state)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("credentials.pem"); // no temp file left
    }
    // The node certificate comes first, so `openssl x509 -in credentials.pem` shows it.
    String text = Files.readString(store.credentialsFile());
    assertThat(text.indexOf("-----BEGIN CERTIFICATE-----")).isLessThan(text.indexOf("-----BEGIN PRIVATE KEY-----"));
  }

  @Test
  void aSecondSave_replacesTheFirstAtomically() throws Exception {
    CredentialStore store = new CredentialStore(tmp.resolve("s"));
    store.save(credentials("n-1"));
    Credentials renewed = credentials("n-1");
    store.save(renewed);
    assertThat(store.load().orElseThrow().certificate()).isEqualTo(renewed.certificate());
    assertThat(mode(store.credentialsFile())).isEqualTo("rw-------");
  }

  @Test
  void anOpenStateDirectory_andAnOpenFile_areTightened() throws Exception {
    Path state = Files.createDirectory(tmp.resolve("open"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    CredentialStore store = new CredentialStore(state);
    store.save(credentials("n-1"));
    assertThat(mode(state)).isEqualTo("rwx------");
    Files.setPosixFilePermissions(store.credentialsFile(), PosixFilePermissions.fromString("rw-r--r--"));
    store.load();
    assertThat(mode(store.credentialsFile())).isEqualTo("rw-------");
  }

  @Test
  void aDamagedFile_isReportedAsSuch() throws Exception {
    CredentialStore store = new CredentialStore(tmp.resolve("d"));
    store.save(credentials("n-1"));
    String text = Files.readString(store.credentialsFile());
    Files.writeString(store.credentialsFile(), text.substring(0, text.indexOf("-----BEGIN CORTEX NODE CREDENTIAL BUNDLE")));
    assertThatThrownBy(store::load).isInstanceOf(InvalidCredentialsException.class).hasMessageContaining("lacks the credential bundle");
    Files.writeString(store.credentialsFile(), text.replace("-----BEGIN PRIVATE KEY-----\nM", "-----BEGIN PRIVATE KEY-----\nX"));
    assertThatThrownBy(store::load).isInstanceOf(InvalidCredentialsException.class).hasMessageContaining("damaged");
  }

  @Test
  void aKeyThatDoesNotFitTheStoredCertificate_isRefused() throws Exception {
    CredentialStore a = new CredentialStore(tmp.resolve("a"));
    CredentialStore b = new CredentialStore(tmp.resolve("b"));
    a.save(credentials("n-1"));
    b.save(credentials("n-1"));
    String textA = Files.readString(a.credentialsFile());
    String textB = Files.readString(b.credentialsFile());
    String keyB = textB.substring(textB.indexOf("-----BEGIN PRIVATE KEY-----"), textB.indexOf("-----END PRIVATE KEY-----"));
    String keyA = textA.substring(textA.indexOf("-----BEGIN PRIVATE KEY-----"), textA.indexOf("-----END PRIVATE KEY-----"));
    Files.writeString(a.credentialsFile(), textA.replace(keyA, keyB));
    assertThatThrownBy(a::load).isInstanceOf(InvalidCredentialsException.class).hasMessageContaining("private key");
  }

  @Test
  void theProfile_remembersHubAndName() throws Exception {
    CredentialStore store = new CredentialStore(tmp.resolve("p"));
    assertThat(store.loadProfile()).isEmpty();
    store.saveProfile(new NodeProfile(HubAddress.parse("[::1]:9443"), "edge-7"));
    NodeProfile p = store.loadProfile().orElseThrow();
    assertThat(p.hub()).isEqualTo(new HubAddress("::1", 9443));
    assertThat(p.nodeName()).isEqualTo("edge-7");
    assertThat(mode(store.stateDir().resolve(CredentialStore.PROFILE_FILE))).isEqualTo("rw-------");
  }

  @Test
  void theStateDirectory_admitsOneAgentAtATime() throws Exception {
    CredentialStore store = new CredentialStore(tmp.resolve("l"));
    CredentialStore.StateLock held = store.lock();
    assertThat(held.file()).hasFileName("agent.lock");
    assertThatThrownBy(store::lock).isInstanceOf(StateDirectoryException.class).hasMessageContaining("in use by another cortex-node");
    held.close();
    store.lock().close(); // free again
  }
}
