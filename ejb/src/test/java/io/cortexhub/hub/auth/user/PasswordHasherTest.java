package io.cortexhub.hub.auth.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {

  private final PasswordHasher hasher = new PasswordHasher(1_000, new SecureRandom());

  @Test
  void hash_matchesItsPasswordOnly() {
    String stored = hasher.hash("correct horse battery staple");

    assertThat(stored).startsWith("pbkdf2-sha256$1000$").doesNotContain("horse");
    assertThat(hasher.matches("correct horse battery staple", stored)).isTrue();
    assertThat(hasher.matches("correct horse battery stapl", stored)).isFalse();
    assertThat(hasher.matches("", stored)).isFalse();
  }

  @Test
  void samePassword_getsADifferentSaltEachTime() {
    assertThat(hasher.hash("same password!")).isNotEqualTo(hasher.hash("same password!"));
  }

  @Test
  void storedIterationCount_isHonoured_soItCanBeRaisedLater() {
    String old = new PasswordHasher(2_000, new SecureRandom()).hash("an older password");

    assertThat(hasher.matches("an older password", old)).isTrue();
  }

  @Test
  void malformedStoredValue_neverMatches() {
    assertThat(hasher.matches("x", "plain-text")).isFalse();
    assertThat(hasher.matches("x", "pbkdf2-sha256$many$salt$hash")).isFalse();
    assertThat(hasher.matches("x", "md5$1$YQ$YQ")).isFalse();
    assertThat(hasher.matchesNothing("anything")).isFalse();
  }
}
