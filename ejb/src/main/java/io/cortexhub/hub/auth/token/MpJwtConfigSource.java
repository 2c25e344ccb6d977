package io.cortexhub.hub.auth.token;

import io.cortexhub.hub.auth.AuthSettings;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Tells Payara's MP-JWT which tokens to trust, from the hub's own {@code cortex.auth.*} settings.
 *
 * <p>Why a config source: the hub's signing key is generated at first boot under the data dir, so
 * its public key cannot sit in a static {@code microprofile-config.properties}, and the WAR's own
 * config is ignored in an EAR. Registered through {@code META-INF/services} in the EJB jar, this
 * source is part of the application's config in both deployables. Payara's identity store asks
 * for {@code mp.jwt.verify.*} lazily, on the first request that carries a token; the first such
 * lookup loads (or creates) the key through {@link UserTokenKey#loadOrCreate}, the same instance
 * the issuer signs with. Values:
 *
 * <ul>
 *   <li>local mode: {@code mp.jwt.verify.publickey} (PEM), {@code mp.jwt.verify.issuer},
 *   <li>external mode: {@code mp.jwt.verify.publickey.location} and the external issuer,
 *   <li>both: {@code mp.jwt.verify.audiences} and {@code mp.jwt.verify.clock.skew} (seconds).
 * </ul>
 *
 * <p>Ordinal 250: above the properties file (100) and Payara's domain-level sources, below
 * environment variables (300) and system properties (400), so an operator can still override any
 * of these by hand. Thread-safe; values are computed once.
 */
public final class MpJwtConfigSource implements ConfigSource {

  static final String PUBLIC_KEY = "mp.jwt.verify.publickey";
  static final String PUBLIC_KEY_LOCATION = "mp.jwt.verify.publickey.location";
  static final String PUBLIC_KEY_ALGORITHM = "mp.jwt.verify.publickey.algorithm";
  static final String ISSUER = "mp.jwt.verify.issuer";
  static final String AUDIENCES = "mp.jwt.verify.audiences";
  static final String CLOCK_SKEW = "mp.jwt.verify.clock.skew";

  private static final Logger LOG = Logger.getLogger(MpJwtConfigSource.class.getName());
  private static final Set<String> NAMES = Set.of(
      PUBLIC_KEY, PUBLIC_KEY_LOCATION, PUBLIC_KEY_ALGORITHM, ISSUER, AUDIENCES, CLOCK_SKEW);

  // Reading cortex.auth.* goes through the application's config, which asks every source,
  // this one included: a lookup made while resolving must not resolve again.
  private static final ThreadLocal<Boolean> RESOLVING = ThreadLocal.withInitial(() -> false);

  private final Supplier<AuthSettings> settings;
  private volatile Map<String, String> values;

  /** For the service loader: settings from the application's MicroProfile Config. */
  public MpJwtConfigSource() {
    this(() -> AuthSettings.read(
        ConfigProvider.getConfig(MpJwtConfigSource.class.getClassLoader())));
  }

  public MpJwtConfigSource(Supplier<AuthSettings> settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  @Override
  public Set<String> getPropertyNames() {
    return NAMES;
  }

  @Override
  public Map<String, String> getProperties() {
    return resolved();
  }

  @Override
  public String getValue(String propertyName) {
    if (!NAMES.contains(propertyName)) {
      return null;
    }
    return resolved().get(propertyName);
  }

  @Override
  public String getName() {
    return "cortex-hub-mp-jwt";
  }

  @Override
  public int getOrdinal() {
    return 250;
  }

  private Map<String, String> resolved() {
    Map<String, String> v = values;
    if (v != null) {
      return v;
    }
    if (RESOLVING.get()) {
      return Map.of();
    }
    synchronized (this) {
      if (values == null) {
        RESOLVING.set(true);
        try {
          values = compute(settings.get());
        } catch (RuntimeException e) {
          // Payara then refuses every token ("No issuer found"); the startup bean fails the
          // deployment with the same message, so the cause is never hidden.
          LOG.log(Level.SEVERE, "Cannot configure MP-JWT from cortex.auth.* settings", e);
          return Map.of();
        } finally {
          RESOLVING.remove();
        }
      }
      return values;
    }
  }

  static Map<String, String> compute(AuthSettings s) {
    Map<String, String> v = new TreeMap<>();
    if (s.mode() == AuthSettings.Mode.LOCAL) {
      v.put(PUBLIC_KEY, UserTokenKey.loadOrCreate(s.keyDir()).publicKeyPem());
      v.put(PUBLIC_KEY_ALGORITHM, "RS256");
    } else {
      v.put(PUBLIC_KEY_LOCATION, s.externalPublicKeyLocation().orElseThrow());
    }
    v.put(ISSUER, s.acceptedIssuer());
    v.put(AUDIENCES, s.audience());
    v.put(CLOCK_SKEW, Long.toString(s.clockSkew().toSeconds()));
    return Collections.unmodifiableMap(v);
  }
}
