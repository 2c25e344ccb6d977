package io.cortexhub.hub.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.eclipse.microprofile.config.spi.Converter;
import org.junit.jupiter.api.Test;

class AuthSettingsTest {

  @Test
  void defaults_areLocalModeFifteenMinuteTokensAndKeysUnderTheDataDir() {
    AuthSettings s = AuthSettings.read(config(Map.of("cortex.data.dir", "/srv/hub")));

    assertThat(s.mode()).isEqualTo(AuthSettings.Mode.LOCAL);
    assertThat(s.issuer()).isEqualTo("cortex-hub");
    assertThat(s.audience()).isEqualTo("cortex-api");
    assertThat(s.tokenLifetime()).isEqualTo(Duration.ofMinutes(15));
    assertThat(s.keyDir()).isEqualTo(Path.of("/srv/hub/auth"));
    assertThat(s.adminPassword()).isEmpty();
    assertThat(s.passwordIterations()).isEqualTo(600_000);
  }

  @Test
  void externalMode_needsIssuerAndKeyLocation() {
    assertThatThrownBy(() -> AuthSettings.read(config(Map.of("cortex.auth.mode", "external"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cortex.auth.external.issuer");

    AuthSettings s = AuthSettings.read(config(Map.of("cortex.auth.mode", "external",
        "cortex.auth.external.issuer", "https://idp.example",
        "cortex.auth.external.publickey-location", "https://idp.example/certs")));
    assertThat(s.acceptedIssuer()).isEqualTo("https://idp.example");
  }

  @Test
  void badValues_stopTheBootNamingTheKey() {
    assertRefused(Map.of("cortex.auth.mode", "ldap"), "cortex.auth.mode");
    assertRefused(Map.of("cortex.auth.token-lifetime", "PT10S"), "cortex.auth.token-lifetime");
    assertRefused(Map.of("cortex.auth.token-lifetime", "soon"), "cortex.auth.token-lifetime");
    assertRefused(Map.of("cortex.auth.clock-skew", "PT1H"), "cortex.auth.clock-skew");
    assertRefused(Map.of("cortex.auth.admin-password", "short"), "cortex.auth.admin-password");
    assertRefused(Map.of("cortex.auth.password-iterations", "10"),
        "cortex.auth.password-iterations");
  }

  @Test
  void toString_neverShowsTheAdminPassword() {
    AuthSettings s = AuthSettings.read(config(Map.of("cortex.auth.admin-password",
        "a-long-admin-password")));

    assertThat(s.adminPassword()).contains("a-long-admin-password");
    assertThat(s.toString()).doesNotContain("a-long-admin-password");
  }

  private static void assertRefused(Map<String, String> values, String key) {
    assertThatThrownBy(() -> AuthSettings.read(config(values)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(key);
  }

  /** A MicroProfile Config over a map: only what {@link AuthSettings#read} uses. */
  private static Config config(Map<String, String> values) {
    Map<String, String> all = new HashMap<>(values);
    return new Config() {
      @Override
      public <T> T getValue(String name, Class<T> type) {
        return getOptionalValue(name, type).orElseThrow(() -> new NoSuchElementException(name));
      }

      @Override
      public ConfigValue getConfigValue(String name) {
        throw new UnsupportedOperationException();
      }

      @Override
      public <T> Optional<T> getOptionalValue(String name, Class<T> type) {
        return Optional.ofNullable(all.get(name)).map(type::cast);
      }

      @Override
      public Iterable<String> getPropertyNames() {
        return all.keySet();
      }

      @Override
      public Iterable<ConfigSource> getConfigSources() {
        return List.of();
      }

      @Override
      public <T> Optional<Converter<T>> getConverter(Class<T> type) {
        return Optional.empty();
      }

      @Override
      public <T> T unwrap(Class<T> type) {
        throw new UnsupportedOperationException();
      }
    };
  }
}
