package io.cortexhub.hub.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * CDI producers for {@link HubSettings}, the wall clock and the random source.
 *
 * <p>Settings are read once from MicroProfile Config; a bad value fails the deployment with the
 * key in the message, which is better than a hub that runs with a surprise.
 */
@ApplicationScoped
public class SettingsProducer {

  @Produces
  @ApplicationScoped
  public HubSettings settings() {
    return read(ConfigProvider.getConfig(SettingsProducer.class.getClassLoader()));
  }

  @Produces
  public Clock clock() {
    return Clock.systemUTC();
  }

  /** A cryptographically strong source: it makes task nonces and certificate serials. */
  @Produces
  @ApplicationScoped
  public SecureRandom random() {
    return new SecureRandom();
  }

  /** Reads every key; visible for the startup bean, which may run before CDI producers. */
  public static HubSettings read(Config c) {
    Path dataDir = Path.of(c.getOptionalValue("cortex.data.dir", String.class)
        .orElse(System.getProperty("user.home") + "/.cortex-hub")).toAbsolutePath();
    HubSettings.Tls tls = new HubSettings.Tls(
        path(c, "cortex.tls.cert-file"), path(c, "cortex.tls.key-file"), path(c, "cortex.tls.ca-file"),
        c.getOptionalValue("cortex.tls.extra-names", String.class)
            .map(s -> Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty())
                .toList())
            .orElse(List.of()));
    return new HubSettings(
        dataDir,
        str(c, "cortex.tunnel.host", "0.0.0.0"),
        integer(c, "cortex.tunnel.port", 9443),
        duration(c, "cortex.tunnel.heartbeat-interval", "PT5S"),
        integer(c, "cortex.registry.stale-after-missed", 2),
        integer(c, "cortex.registry.offline-after-missed", 3),
        integer(c, "cortex.tunnel.max-frame-bytes", 4 * 1024 * 1024),
        duration(c, "cortex.dispatch.lease", "PT30S"),
        duration(c, "cortex.dispatch.restart-grace", "PT90S"),
        duration(c, "cortex.dispatch.result-grace", "PT2M"),
        duration(c, "cortex.task.default-timeout", "PT10M"),
        duration(c, "cortex.task.default-kill-grace", "PT5S"),
        duration(c, "cortex.task.validity", "PT5M"),
        integer(c, "cortex.tunnel.send-queue-frames", 4096),
        integer(c, "cortex.output.subscriber-queue-chunks", 1024),
        integer(c, "cortex.journal.batch-max", 1000),
        integer(c, "cortex.journal.capacity", 100_000),
        tls,
        new HubSettings.Pki(
            c.getOptionalValue("cortex.pki.keystore-password", String.class)
                .filter(p -> !p.isBlank()),
            path(c, "cortex.pki.ca-cert-file"), path(c, "cortex.pki.ca-key-file"),
            duration(c, "cortex.pki.node-cert-lifetime", "PT24H"),
            duration(c, "cortex.session.token-lifetime", "PT15M")));
  }

  private static String str(Config c, String key, String dflt) {
    return c.getOptionalValue(key, String.class).map(String::trim).orElse(dflt);
  }

  private static int integer(Config c, String key, int dflt) {
    String v = str(c, key, Integer.toString(dflt));
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be an integer, got '" + v + "'", e);
    }
  }

  private static Duration duration(Config c, String key, String dflt) {
    String v = str(c, key, dflt);
    try {
      return Duration.parse(v);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          key + " must be an ISO-8601 duration such as PT5S, got '" + v + "'", e);
    }
  }

  private static Optional<Path> path(Config c, String key) {
    return c.getOptionalValue(key, String.class).map(String::trim).filter(s -> !s.isEmpty())
        .map(Path::of);
  }
}
