package io.cortexhub.hub.auth.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserTokenKeyTest {

  @TempDir Path dir;

  @Test
  void firstUse_createsTheKeyFileWithOwnerOnlyPermissions() throws Exception {
    Path keyDir = dir.resolve("auth");

    UserTokenKey key = UserTokenKey.loadOrCreate(keyDir);

    Path file = keyDir.resolve(UserTokenKey.FILE_NAME);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyDir)))
        .isEqualTo("rwx------");
    assertThat(Files.readString(file)).contains("\"d\"", key.keyId());
  }

  @Test
  void anExistingKeyFile_isReadNotReplaced() throws Exception {
    Path first = dir.resolve("first");
    UserTokenKey created = UserTokenKey.loadOrCreate(first);
    // A second directory holding a copy of the file: as a restarted hub finds it.
    Path second = Files.createDirectories(dir.resolve("second"));
    Files.copy(first.resolve(UserTokenKey.FILE_NAME), second.resolve(UserTokenKey.FILE_NAME));

    UserTokenKey loaded = UserTokenKey.loadOrCreate(second);

    assertThat(loaded.keyId()).isEqualTo(created.keyId());
    assertThat(loaded.publicKey()).isEqualTo(created.publicKey());
  }

  @Test
  void sameDirectory_givesTheSameInstance() {
    assertThat(UserTokenKey.loadOrCreate(dir.resolve("x")))
        .isSameAs(UserTokenKey.loadOrCreate(dir.resolve("x/../x")));
  }

  @Test
  void publicKeyPem_isTheX509PublicKey() throws Exception {
    UserTokenKey key = UserTokenKey.generate();

    String pem = key.publicKeyPem();
    String body = pem.replace("-----BEGIN PUBLIC KEY-----", "")
        .replace("-----END PUBLIC KEY-----", "").replaceAll("\\s", "");
    var parsed = KeyFactory.getInstance("EC")
        .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));

    assertThat(parsed).isEqualTo(key.publicKey());
    assertThat(key.publicJwks()).contains("\"kty\":\"EC\"", "\"crv\":\"P-256\"")
        .doesNotContain("\"d\"");
  }
}
