package io.cortexhub.hub.auth;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * Every {@code cortex.auth.*} setting, read once from MicroProfile Config and validated, so a bad
 * value stops the boot with the key in the message.
 *
 * @param mode {@link Mode#LOCAL}: the hub issues user tokens and Payara verifies them with the
 *     hub's key; {@link Mode#EXTERNAL}: Payara verifies an external issuer's tokens instead
 * @param issuer {@code iss} of hub-issued tokens ({@code cortex.auth.issuer})
 * @param audience {@code aud} of hub-issued tokens and the audience every token must carry
 * @param tokenLifetime lifetime of hub-issued tokens ({@code cortex.auth.token-lifetime})
 * @param clockSkew tolerance on {@code exp}, {@code nbf} and {@code iat}
 * @param adminPassword password of the first admin, if configured; otherwise one is generated and
 *     logged once
 * @param externalIssuer the external issuer's {@code iss} (EXTERNAL mode)
 * @param externalPublicKeyLocation where Payara reads the external issuer's key: a PEM or JWKS
 *     URL ({@code https:}, {@code file:}) or class-path resource (EXTERNAL mode)
 * @param keyDir where the hub's token signing key lives ({@code <data dir>/auth})
 * @param passwordIterations PBKDF2 iterations for new password hashes
 * @param maxFailures consecutive failed logins (per user name, per address) before throttling
 * @param lockout how long the first throttle lasts; it doubles with each further failure, capped
 *     at {@link #MAX_LOCKOUT}
 */
public record AuthSettings(
    Mode mode,
    String issuer,
    String audience,
    Duration tokenLifetime,
    Duration clockSkew,
    Optional<String> adminPassword,
    Optional<String> externalIssuer,
    Optional<String> externalPublicKeyLocation,
    Path keyDir,
    int passwordIterations,
    int maxFailures,
    Duration lockout) {

  /** The audience of the REST API (contract: {@code cortex-api}). */
  public static final String API_AUDIENCE = "cortex-api";
  /** Longest throttle after repeated failed logins. */
  public static final Duration MAX_LOCKOUT = Duration.ofMinutes(15);

  /** Where user tokens come from. */
  public enum Mode {
    LOCAL,
    EXTERNAL
  }

  public AuthSettings {
    Objects.requireNonNull(mode, "mode");
    requireText(issuer, "cortex.auth.issuer");
    requireText(audience, "cortex.auth.audience");
    Objects.requireNonNull(tokenLifetime, "tokenLifetime");
    if (tokenLifetime.compareTo(Duration.ofMinutes(1)) < 0
        || tokenLifetime.compareTo(Duration.ofHours(24)) > 0) {
      throw new IllegalArgumentException(
          "cortex.auth.token-lifetime must be between PT1M and PT24H, got " + tokenLifetime);
    }
    Objects.requireNonNull(clockSkew, "clockSkew");
    if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new IllegalArgumentException(
          "cortex.auth.clock-skew must be between PT0S and PT5M, got " + clockSkew);
    }
    Objects.requireNonNull(adminPassword, "adminPassword");
    adminPassword.ifPresent(p -> {
      if (p.length() < NewUser.MIN_PASSWORD_LENGTH) {
        throw new IllegalArgumentException("cortex.auth.admin-password must have at least "
            + NewUser.MIN_PASSWORD_LENGTH + " characters");
      }
    });
    Objects.requireNonNull(externalIssuer, "externalIssuer");
    Objects.requireNonNull(externalPublicKeyLocation, "externalPublicKeyLocation");
    if (mode == Mode.EXTERNAL
        && (externalIssuer.isEmpty() || externalPublicKeyLocation.isEmpty())) {
      throw new IllegalArgumentException("cortex.auth.mode=external needs"
          + " cortex.auth.external.issuer and cortex.auth.external.publickey-location");
    }
    Objects.requireNonNull(keyDir, "keyDir");
    if (passwordIterations < 1_000) {
      throw new IllegalArgumentException("cortex.auth.password-iterations must be >= 1000");
    }
    if (maxFailures < 1) {
      throw new IllegalArgumentException("cortex.auth.login.max-failures must be >= 1");
    }
    Objects.requireNonNull(lockout, "lockout");
    if (lockout.isNegative() || lockout.isZero()) {
      throw new IllegalArgumentException("cortex.auth.login.lockout must be positive");
    }
  }

  /** The issuer Payara accepts: ours in LOCAL mode, the external one otherwise. */
  public String acceptedIssuer() {
    return mode == Mode.LOCAL ? issuer : externalIssuer.orElseThrow();
  }

  /** Defaults for tests: LOCAL mode, keys under {@code dataDir/auth}, cheap password hashing. */
  public static AuthSettings defaults(Path dataDir) {
    return new AuthSettings(Mode.LOCAL, "cortex-hub", API_AUDIENCE, Duration.ofMinutes(15),
        Duration.ofSeconds(30), Optional.empty(), Optional.empty(), Optional.empty(),
        dataDir.resolve("auth"), 1_000, 5, Duration.ofSeconds(30));
  }

  /** Reads every {@code cortex.auth.*} key (and {@code cortex.data.dir} for the key directory). */
  public static AuthSettings read(Config c) {
    Path dataDir = Path.of(text(c, "cortex.data.dir")
        .orElse(System.getProperty("user.home") + "/.cortex-hub")).toAbsolutePath();
    String mode = text(c, "cortex.auth.mode").orElse("local").toUpperCase(Locale.ROOT);
    Mode parsed;
    try {
      parsed = Mode.valueOf(mode);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cortex.auth.mode must be local or external, got '"
          + mode.toLowerCase(Locale.ROOT) + "'", e);
    }
    return new AuthSettings(
        parsed,
        text(c, "cortex.auth.issuer").orElse("cortex-hub"),
        text(c, "cortex.auth.audience").orElse(API_AUDIENCE),
        duration(c, "cortex.auth.token-lifetime", "PT15M"),
        duration(c, "cortex.auth.clock-skew", "PT30S"),
        // Not trimmed: a password may start or end with a space.
        c.getOptionalValue("cortex.auth.admin-password", String.class).filter(s -> !s.isEmpty()),
        text(c, "cortex.auth.external.issuer"),
        text(c, "cortex.auth.external.publickey-location"),
        dataDir.resolve("auth"),
        integer(c, "cortex.auth.password-iterations", 600_000),
        integer(c, "cortex.auth.login.max-failures", 5),
        duration(c, "cortex.auth.login.lockout", "PT30S"));
  }

  private static Optional<String> text(Config c, String key) {
    return c.getOptionalValue(key, String.class).map(String::trim).filter(s -> !s.isEmpty());
  }

  private static Duration duration(Config c, String key, String dflt) {
    String v = text(c, key).orElse(dflt);
    try {
      return Duration.parse(v);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          key + " must be an ISO-8601 duration such as PT15M, got '" + v + "'", e);
    }
  }

  private static int integer(Config c, String key, int dflt) {
    String v = text(c, key).orElse(Integer.toString(dflt));
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be an integer, got '" + v + "'", e);
    }
  }

  private static void requireText(String value, String key) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(key + " must not be empty");
    }
  }

  @Override
  public String toString() {
    return "AuthSettings[mode=" + mode + ", issuer=" + issuer + ", audience=" + audience
        + ", tokenLifetime=" + tokenLifetime + ", keyDir=" + keyDir + "]";
  }
}
