package io.cortexhub.hub.auth.token;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortexhub.hub.auth.AuthSettings;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MpJwtConfigSourceTest {

  @TempDir Path data;

  @Test
  void localMode_servesTheHubKeyIssuerAudienceAndSkew() {
    AuthSettings settings = AuthSettings.defaults(data);
    MpJwtConfigSource source = new MpJwtConfigSource(() -> settings);

    assertThat(source.getValue("mp.jwt.verify.publickey"))
        .isEqualTo(UserTokenKey.loadOrCreate(settings.keyDir()).publicKeyPem());
    assertThat(source.getValue("mp.jwt.verify.issuer")).isEqualTo("cortex-hub");
    assertThat(source.getValue("mp.jwt.verify.audiences")).isEqualTo("cortex-api");
    assertThat(source.getValue("mp.jwt.verify.clock.skew")).isEqualTo("30");
    assertThat(source.getValue("mp.jwt.verify.publickey.location")).isNull();
    assertThat(source.getValue("cortex.data.dir")).isNull();
  }

  @Test
  void externalMode_servesTheExternalIssuerAndKeyLocation() {
    AuthSettings d = AuthSettings.defaults(data);
    AuthSettings external = new AuthSettings(AuthSettings.Mode.EXTERNAL, d.issuer(), d.audience(),
        d.tokenLifetime(), d.clockSkew(), Optional.empty(), Optional.of("https://idp.example"),
        Optional.of("https://idp.example/certs"), d.keyDir(), 1_000, 5, d.lockout());
    MpJwtConfigSource source = new MpJwtConfigSource(() -> external);

    assertThat(source.getValue("mp.jwt.verify.issuer")).isEqualTo("https://idp.example");
    assertThat(source.getValue("mp.jwt.verify.publickey.location"))
        .isEqualTo("https://idp.example/certs");
    assertThat(source.getValue("mp.jwt.verify.publickey")).isNull();
  }

  @Test
  void settingsAreReadOnce_andALookupWhileResolvingDoesNotRecurse() {
    AtomicInteger reads = new AtomicInteger();
    MpJwtConfigSource[] self = new MpJwtConfigSource[1];
    self[0] = new MpJwtConfigSource(() -> {
      reads.incrementAndGet();
      // As the application's Config does: asking every source, this one included.
      assertThat(self[0].getValue("mp.jwt.verify.issuer")).isNull();
      return AuthSettings.defaults(data);
    });

    self[0].getValue("mp.jwt.verify.issuer");
    self[0].getProperties();

    assertThat(reads).hasValue(1);
    assertThat(self[0].getValue("mp.jwt.verify.issuer")).isEqualTo("cortex-hub");
  }

  @Test
  void badSettings_giveNoValues_soPayaraRefusesEveryToken() {
    MpJwtConfigSource source = new MpJwtConfigSource(() -> {
      throw new IllegalArgumentException("cortex.auth.mode must be local or external");
    });

    assertThat(source.getValue("mp.jwt.verify.issuer")).isNull();
  }
}
