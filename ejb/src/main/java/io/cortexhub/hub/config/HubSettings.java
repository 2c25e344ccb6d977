package io.cortexhub.hub.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Every tunable of the hub's EJB module, read once at boot. See {@code
 * META-INF/microprofile-config.properties} for the keys and defaults.
 *
 * @param dataDir where H2 files and TLS material live
 * @param tunnelHost address the tunnel binds (never the wildcard {@code ::}, see README)
 * @param tunnelPort tunnel port, 0 for an ephemeral one
 * @param heartbeatInterval how often nodes send Heartbeat
 * @param staleAfterMissed missed intervals before a node is STALE
 * @param offlineAfterMissed missed intervals before a node is OFFLINE
 * @param maxFrameBytes largest inbound frame
 * @param dispatchLease how long tasks of an OFFLINE node wait for it before becoming LOST
 * @param restartGrace after a hub boot, how long the tasks of nodes not yet reconnected wait; at
 *     least the nodes' reconnect backoff cap (30 s) plus a heartbeat, so a hub restart alone never
 *     makes a task LOST
 * @param resultGrace how long past a task's own timeout and kill grace the hub waits for a node
 *     that stays connected to report the result; then the task is cancelled on the node and LOST
 * @param defaultTimeout task timeout when the request gives none
 * @param defaultKillGrace SIGTERM-to-SIGKILL grace
 * @param taskValidity how long after issue a node may still start a task (TaskSpec.not_after)
 * @param sendQueueFrames bound of each node's outbound queue
 * @param subscriberQueueChunks bound of each output subscriber's queue
 * @param journalBatchMax most entries committed in one database transaction
 * @param journalCapacity most entries waiting for the writer before producers block
 * @param tls TLS material locations
 * @param pki the node CA, node certificates and node session tokens
 */
public record HubSettings(
    Path dataDir,
    String tunnelHost,
    int tunnelPort,
    Duration heartbeatInterval,
    int staleAfterMissed,
    int offlineAfterMissed,
    int maxFrameBytes,
    Duration dispatchLease,
    Duration restartGrace,
    Duration resultGrace,
    Duration defaultTimeout,
    Duration defaultKillGrace,
    Duration taskValidity,
    int sendQueueFrames,
    int subscriberQueueChunks,
    int journalBatchMax,
    int journalCapacity,
    Tls tls,
    Pki pki) {

  public HubSettings {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(tunnelHost, "tunnelHost");
    positive(heartbeatInterval, "cortex.tunnel.heartbeat-interval");
    positive(dispatchLease, "cortex.dispatch.lease");
    positive(restartGrace, "cortex.dispatch.restart-grace");
    positive(resultGrace, "cortex.dispatch.result-grace");
    positive(defaultTimeout, "cortex.task.default-timeout");
    Objects.requireNonNull(defaultKillGrace, "defaultKillGrace");
    positive(taskValidity, "cortex.task.validity");
    if (staleAfterMissed < 1 || offlineAfterMissed <= staleAfterMissed) {
      throw new IllegalArgumentException(
          "need 1 <= cortex.registry.stale-after-missed < cortex.registry.offline-after-missed");
    }
    if (maxFrameBytes < 64 * 1024) {
      throw new IllegalArgumentException("cortex.tunnel.max-frame-bytes must be >= 65536");
    }
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(pki, "pki");
  }

  private static void positive(Duration d, String key) {
    Objects.requireNonNull(d, key);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(key + " must be positive, got " + d);
    }
  }

  /** The lease of tasks reloaded at boot: the longer of the lease and the restart grace. */
  public Duration bootLease() {
    return dispatchLease.compareTo(restartGrace) >= 0 ? dispatchLease : restartGrace;
  }

  /** Deadline after the last sign of life when a node turns STALE. */
  public Duration staleAfter() {
    return heartbeatInterval.multipliedBy(staleAfterMissed);
  }

  /** Deadline after the last sign of life when a node turns OFFLINE. */
  public Duration offlineAfter() {
    return heartbeatInterval.multipliedBy(offlineAfterMissed);
  }

  /** How often the registry sweep runs: often enough to notice a deadline within a second. */
  public Duration sweepPeriod() {
    Duration half = heartbeatInterval.dividedBy(2);
    return half.compareTo(Duration.ofSeconds(1)) < 0 ? half : Duration.ofSeconds(1);
  }

  /** Defaults suitable for tests: everything as documented, data under {@code dataDir}. */
  public static HubSettings defaults(Path dataDir) {
    return new HubSettings(
        dataDir, "127.0.0.1", 0, Duration.ofSeconds(5), 2, 3, 4 * 1024 * 1024,
        Duration.ofSeconds(30), Duration.ofSeconds(90), Duration.ofMinutes(2), Duration.ofMinutes(10),
        Duration.ofSeconds(5),
        Duration.ofMinutes(5), 4096, 1024, 1000, 100_000, Tls.generated(List.of()), Pki.defaults());
  }

  public HubSettings withTunnelPort(int port) {
    return new HubSettings(dataDir, tunnelHost, port, heartbeatInterval, staleAfterMissed,
        offlineAfterMissed, maxFrameBytes, dispatchLease, restartGrace, resultGrace, defaultTimeout, defaultKillGrace,
        taskValidity, sendQueueFrames, subscriberQueueChunks, journalBatchMax, journalCapacity, tls, pki);
  }

  public HubSettings withSubscriberQueueChunks(int chunks) {
    return new HubSettings(dataDir, tunnelHost, tunnelPort, heartbeatInterval, staleAfterMissed,
        offlineAfterMissed, maxFrameBytes, dispatchLease, restartGrace, resultGrace, defaultTimeout, defaultKillGrace,
        taskValidity, sendQueueFrames, chunks, journalBatchMax, journalCapacity, tls, pki);
  }

  public HubSettings withMaxFrameBytes(int bytes) {
    return new HubSettings(dataDir, tunnelHost, tunnelPort, heartbeatInterval, staleAfterMissed,
        offlineAfterMissed, bytes, dispatchLease, restartGrace, resultGrace, defaultTimeout, defaultKillGrace,
        taskValidity, sendQueueFrames, subscriberQueueChunks, journalBatchMax, journalCapacity, tls, pki);
  }

  public HubSettings withPki(Pki newPki) {
    return new HubSettings(dataDir, tunnelHost, tunnelPort, heartbeatInterval, staleAfterMissed,
        offlineAfterMissed, maxFrameBytes, dispatchLease, restartGrace, resultGrace, defaultTimeout,
        defaultKillGrace, taskValidity, sendQueueFrames, subscriberQueueChunks, journalBatchMax,
        journalCapacity, tls, newPki);
  }

  /**
   * The hub's certificate authority for nodes and the node session tokens.
   *
   * @param keystorePassword protects {@code <data>/pki/hub-pki.p12}; when empty a random one is
   *     generated once and kept in {@code <data>/pki/keystore.password} (mode 0600)
   * @param caCertFile operator-supplied CA certificate (PEM) that issues node certificates
   * @param caKeyFile its private key (PEM, PKCS#8 or SEC1), set together with {@code caCertFile}
   * @param nodeCertLifetime lifetime of node certificates (renewed at about two thirds of it)
   * @param sessionTokenLifetime lifetime of node session tokens (refreshed at two thirds of it)
   */
  public record Pki(Optional<String> keystorePassword, Optional<Path> caCertFile,
      Optional<Path> caKeyFile, Duration nodeCertLifetime, Duration sessionTokenLifetime) {
    public Pki {
      Objects.requireNonNull(keystorePassword, "keystorePassword");
      Objects.requireNonNull(caCertFile, "caCertFile");
      Objects.requireNonNull(caKeyFile, "caKeyFile");
      if (caCertFile.isPresent() != caKeyFile.isPresent()) {
        throw new IllegalArgumentException(
            "cortex.pki.ca-cert-file and cortex.pki.ca-key-file must be set together");
      }
      positive(nodeCertLifetime, "cortex.pki.node-cert-lifetime");
      positive(sessionTokenLifetime, "cortex.session.token-lifetime");
      if (nodeCertLifetime.compareTo(Duration.ofMinutes(5)) < 0) {
        throw new IllegalArgumentException("cortex.pki.node-cert-lifetime must be at least PT5M");
      }
    }

    public static Pki defaults() {
      return new Pki(Optional.empty(), Optional.empty(), Optional.empty(), Duration.ofHours(24),
          Duration.ofMinutes(15));
    }

    public Pki withNodeCertLifetime(Duration lifetime) {
      return new Pki(keystorePassword, caCertFile, caKeyFile, lifetime, sessionTokenLifetime);
    }

    public Pki withSessionTokenLifetime(Duration lifetime) {
      return new Pki(keystorePassword, caCertFile, caKeyFile, nodeCertLifetime, lifetime);
    }
  }

  /**
   * Where the tunnel's TLS material comes from: operator PEM files when {@code certFile} and
   * {@code keyFile} are set, otherwise a CA and server certificate generated under the data dir.
   */
  public record Tls(
      Optional<Path> certFile, Optional<Path> keyFile, Optional<Path> caFile,
      List<String> extraNames) {
    public Tls {
      Objects.requireNonNull(certFile, "certFile");
      Objects.requireNonNull(keyFile, "keyFile");
      Objects.requireNonNull(caFile, "caFile");
      extraNames = List.copyOf(extraNames);
      if (certFile.isPresent() != keyFile.isPresent()) {
        throw new IllegalArgumentException(
            "cortex.tls.cert-file and cortex.tls.key-file must be set together");
      }
    }

    public static Tls generated(List<String> extraNames) {
      return new Tls(Optional.empty(), Optional.empty(), Optional.empty(), extraNames);
    }
  }
}
