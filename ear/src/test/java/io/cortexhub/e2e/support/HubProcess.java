package io.cortexhub.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The hub as an operator runs it: the all-in-one WAR on a real Payara Micro process, configured through
 * environment variables, with its own data directory (H2 database, TLS material).
 *
 * <p>Restarting keeps the data directory, ports and database, so a restarted hub is the same hub.
 */
public final class HubProcess implements AutoCloseable {

  /** How to run the hub; {@link #defaults(Path)} gives free ports and a 1 s heartbeat for tests. */
  public record Settings(
      Path dataDir,
      int httpPort,
      int tunnelPort,
      Duration heartbeatInterval,
      Duration dispatchLease,
      List<String> jvmArgs,
      Map<String, String> extraEnv) {

    public Settings {
      Objects.requireNonNull(dataDir, "dataDir");
      jvmArgs = List.copyOf(jvmArgs);
      extraEnv = Map.copyOf(extraEnv);
    }

    /** Free ports, a 1 s heartbeat and a 5 s dispatch lease: failures show within seconds in tests. */
    public static Settings defaults(Path dataDir) {
      return new Settings(
          dataDir, FreePort.pick(), FreePort.pick(), Duration.ofSeconds(1), Duration.ofSeconds(5),
          List.of("-Xmx1g"), Map.of());
    }

    public Settings withHeartbeat(Duration interval) {
      return new Settings(dataDir, httpPort, tunnelPort, interval, dispatchLease, jvmArgs, extraEnv);
    }

    public Settings withJvmArgs(List<String> args) {
      return new Settings(dataDir, httpPort, tunnelPort, heartbeatInterval, dispatchLease, args, extraEnv);
    }

    /** The first admin's password the hub is given: {@link #ADMIN_PASSWORD} unless extraEnv sets another. */
    public String adminPassword() {
      return extraEnv.getOrDefault("CORTEX_AUTH_ADMIN_PASSWORD", ADMIN_PASSWORD);
    }

    public Settings withEnv(String name, String value) {
      Map<String, String> env = new HashMap<>(extraEnv);
      env.put(name, value);
      return new Settings(dataDir, httpPort, tunnelPort, heartbeatInterval, dispatchLease, jvmArgs, env);
    }
  }

  private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(180);

  /** The first admin's password ({@code CORTEX_AUTH_ADMIN_PASSWORD}) unless a test's extraEnv sets another. */
  public static final String ADMIN_USER = "admin";
  public static final String ADMIN_PASSWORD = "cortex-test-admin-password";

  private final Settings settings;
  // HTTP/1.1: the JDK client's default h2c upgrade attempt once left Payara's HTTP/2 code holding both
  // worker threads of a loaded hub, so probes speak what every other client here speaks.
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(2))
          .version(HttpClient.Version.HTTP_1_1)
          .build();
  private ManagedProcess process;
  private int boots;

  private HubProcess(Settings settings) {
    this.settings = settings;
  }

  /** Starts the hub and returns once {@code /health/ready} answers 200. */
  public static HubProcess start(Settings settings) {
    HubProcess hub = new HubProcess(settings);
    try {
      hub.boot();
    } catch (RuntimeException | AssertionError e) {
      hub.stop();
      throw e;
    }
    return hub;
  }

  private void boot() {
    boots++;
    Path runtimeDir = settings.dataDir().resolve("payara-runtime-" + boots);
    // Payara Micro keeps an exploded copy of the deployed app here and would run that stale copy on the
    // next start over the same data dir (the dev launcher's second run answered sign-in with 500).
    // Nothing of the hub's own state lives here.
    Scratch.deleteTree(runtimeDir);
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    command.addAll(settings.jvmArgs());
    command.add("-jar");
    command.add(Artifacts.payaraMicroJar().toString());
    command.addAll(List.of("--deploy", Artifacts.hubWar().toString(), "--contextroot", "/"));
    command.addAll(List.of("--port", Integer.toString(settings.httpPort()), "--nocluster"));
    command.addAll(List.of("--rootdir", runtimeDir.toString()));
    Path config = Artifacts.payaraConfigDir();
    Path postBoot = config.resolve("post-boot-commands.asadmin");
    if (Files.exists(postBoot)) {
      command.addAll(List.of("--postbootcommandfile", postBoot.toString()));
    }
    Path logging = config.resolve("logging.properties");
    if (Files.exists(logging)) {
      command.addAll(List.of("--logproperties", logging.toString()));
    }
    Map<String, String> env = new HashMap<>();
    env.put("CORTEX_DATA_DIR", settings.dataDir().toString());
    env.put("CORTEX_TUNNEL_HOST", "127.0.0.1");
    env.put("CORTEX_TUNNEL_PORT", Integer.toString(settings.tunnelPort()));
    env.put("CORTEX_TUNNEL_HEARTBEAT_INTERVAL", settings.heartbeatInterval().toString());
    env.put("CORTEX_DISPATCH_LEASE", settings.dispatchLease().toString());
    env.put("CORTEX_AUTH_ADMIN_PASSWORD", ADMIN_PASSWORD);
    // Tests log in often: cheaper password hashing than production's default (the hash records its cost).
    env.put("CORTEX_AUTH_PASSWORD_ITERATIONS", "10000");
    env.putAll(settings.extraEnv());
    process =
        ManagedProcess.start(
            "hub", command, env, settings.dataDir(), settings.dataDir().resolve("hub-" + boots + ".log"));
    awaitReady();
  }

  private void awaitReady() {
    try {
      Await.until(
          "hub ready at " + baseUri() + "health/ready",
          BOOT_TIMEOUT,
          () -> {
            if (!process.isAlive()) {
              throw new IllegalStateException("hub exited during boot:\n" + process.logTail(80));
            }
            return get("health/ready").map(status -> status == 200).orElse(false);
          });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n--- hub log tail ---\n" + process.logTail(80), e);
    }
  }

  private Optional<Integer> get(String path) {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(baseUri().resolve(path)).timeout(Duration.ofSeconds(5)).GET().build();
      return Optional.of(http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Stops the hub gracefully (SIGTERM) and starts it again on the same ports and data. */
  public void restart() {
    stop();
    try {
      boot();
    } catch (RuntimeException | AssertionError e) {
      stop();
      throw e;
    }
  }

  /** Stops the hub gracefully; the data directory stays. */
  public void stop() {
    if (process != null && process.isAlive()) {
      process.stop(Duration.ofSeconds(30));
    }
  }

  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + settings.httpPort() + "/");
  }

  public URI restBase() {
    return baseUri().resolve("api/v1/");
  }

  public String tunnelAddress() {
    return tunnelHost() + ":" + tunnelPort();
  }

  public String tunnelHost() {
    return "127.0.0.1";
  }

  public int tunnelPort() {
    return settings.tunnelPort();
  }

  /** The hub's secrets in its data directory, for tests that forge tokens and certificates. */
  public HubSecrets secrets() {
    return new HubSecrets(settings.dataDir());
  }

  /**
   * The hub's public CA bundle ({@code <data>/pki/ca.pem}): every CA a node must trust for the tunnel's
   * server certificate, two during a CA rotation. Re-read on every call, since a rotation rewrites it.
   */
  public Path caBundle() {
    return settings.dataDir().resolve("pki/ca.pem");
  }

  /**
   * {@code sha256:<hex>} of the CA that signed the tunnel's server certificate right now: what an operator
   * reads from the hub and gives {@code cortex-node enroll --ca-fingerprint}. The bundle lists the issuing
   * CA first and, during a rotation, the CA being rotated out (which still signs the server certificate)
   * last, so the last entry is the one.
   */
  public String caFingerprint() {
    List<X509Certificate> bundle = Pki.readCertificates(caBundle());
    return Pki.fingerprint(bundle.get(bundle.size() - 1));
  }

  public Settings settings() {
    return settings;
  }

  public ManagedProcess process() {
    return process;
  }

  /** Everything the hub has logged across all boots, for assertions and failure messages. */
  public String logs() {
    StringBuilder all = new StringBuilder();
    for (int boot = 1; boot <= boots; boot++) {
      try {
        all.append(Files.readString(settings.dataDir().resolve("hub-" + boot + ".log")));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return all.toString();
  }

  static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  @Override
  public void close() {
    stop();
  }
}
