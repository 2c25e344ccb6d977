package io.cortexhub.hub.auth.user;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted password hashes with the JDK's PBKDF2WithHmacSHA256.
 *
 * <p>Stored form: {@code pbkdf2-sha256$ITERATIONS$SALT$HASH} (salt 16 bytes, hash 32 bytes, both
 * base64), so the iteration count can be raised later without invalidating stored hashes.
 * Comparison is constant-time ({@link MessageDigest#isEqual}). Thread-safe.
 */
public final class PasswordHasher {

  private static final String SCHEME = "pbkdf2-sha256";
  private static final int SALT_BYTES = 16;
  private static final int HASH_BITS = 256;

  private final int iterations;
  private final SecureRandom random;
  // Compared against when the user does not exist, so a miss costs as much as a wrong password.
  private final String decoy;

  public PasswordHasher(int iterations, SecureRandom random) {
    if (iterations < 1_000) {
      throw new IllegalArgumentException("at least 1000 iterations, got " + iterations);
    }
    this.iterations = iterations;
    this.random = Objects.requireNonNull(random, "random");
    this.decoy = hash("decoy password, never matches");
  }

  /** A new stored hash of {@code password} with a fresh random salt. */
  public String hash(String password) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    byte[] hash = derive(password, salt, iterations);
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$"
        + b64.encodeToString(hash);
  }

  /** Whether {@code password} matches the stored hash; false for a malformed stored value. */
  public boolean matches(String password, String stored) {
    String[] parts = stored.split("\\$");
    if (parts.length != 4 || !SCHEME.equals(parts[0])) {
      return false;
    }
    try {
      int n = Integer.parseInt(parts[1]);
      byte[] salt = Base64.getDecoder().decode(parts[2]);
      byte[] expected = Base64.getDecoder().decode(parts[3]);
      return MessageDigest.isEqual(derive(password, salt, n), expected);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Spends the time of one check and answers false: for user names that do not exist. */
  public boolean matchesNothing(String password) {
    matches(password, decoy);
    return false;
  }

  private static byte[] derive(String password, byte[] salt, int iterations) {
    char[] chars = password.toCharArray();
    PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, HASH_BITS);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec)
          .getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is unavailable", e);
    } finally {
      spec.clearPassword();
      Arrays.fill(chars, '\0');
    }
  }
}
