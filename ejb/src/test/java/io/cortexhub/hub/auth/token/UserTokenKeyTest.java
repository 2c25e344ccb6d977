package io.cortexhub.hub.auth.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
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
  void anEcKeyOfAnEarlierHub_isReplacedByAnRsaKey_ownerOnly() throws Exception {
    Path keyDir = Files.createDirectories(dir.resolve("upgraded"));
    Path file = keyDir.resolve(UserTokenKey.FILE_NAME);
    ECKey older = new ECKeyGenerator(Curve.P_256).keyIDFromThumbprint(true).generate();
    Files.writeString(file, older.toJSONString());
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

    UserTokenKey key = UserTokenKey.loadOrCreate(keyDir);

    assertThat(key.keyId()).isNotEqualTo(older.getKeyID());
    assertThat(JWK.parse(Files.readString(file))).isInstanceOf(RSAKey.class)
        .extracting(JWK::getKeyID).isEqualTo(key.keyId());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    try (var left = Files.list(keyDir)) {
      assertThat(left).containsExactly(file);
    }
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
    var parsed = KeyFactory.getInstance("RSA")
        .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));

    assertThat(parsed).isEqualTo(key.publicKey());
    assertThat(key.publicJwks()).contains("\"kty\":\"RSA\"", "\"n\"", "\"e\"")
        .doesNotContain("\"d\"", "\"p\"", "\"q\"");
    assertThat(key.publicKey().getModulus().bitLength()).isEqualTo(UserTokenKey.BITS);
  }
}
