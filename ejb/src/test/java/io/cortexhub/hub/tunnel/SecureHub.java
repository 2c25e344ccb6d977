package io.cortexhub.hub.tunnel;

import io.cortexhub.hub.config.HubSettings;
import io.cortexhub.hub.connector.outbound.GrpcNodeConnectionFactory;
import io.cortexhub.hub.enrollment.IssuedJoinToken;
import io.cortexhub.hub.enrollment.JoinTokenRequest;
import io.cortexhub.hub.runtime.HubCore;
import io.cortexhub.hub.runtime.HubSecurity;
import io.cortexhub.hub.runtime.SecureTunnel;
import io.cortexhub.hub.testing.FakeClock;
import io.cortexhub.hub.testing.HubHarness;
import io.cortexhub.hub.testing.InMemoryNodeStore;
import io.cortexhub.hub.testing.TestDatabase;
import io.cortexhub.hub.workspace.WorkspaceId;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A hub core behind the real, secured tunnel on loopback (Netty, TLS, mTLS, enrollment, session
 * tokens), on H2 and a fake clock that starts at the real time (the node side's TLS checks the
 * server certificate against the wall clock). For tests that must exercise real TLS.
 */
final class SecureHub implements AutoCloseable {
  final FakeClock clock = new FakeClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  final TestDatabase db = TestDatabase.create(TestDatabase.Kind.H2);
  final GrpcNodeConnectionFactory connections = new GrpcNodeConnectionFactory();
  final HubSettings settings;
  final HubSecurity security;
  final HubCore core;
  final SecureTunnel tunnel;
  final ExecutorService callbacks = Executors.newFixedThreadPool(4);
  final int port;

  SecureHub() {
    this(HubSettings.defaults(HubHarness.tempDataDir()));
  }

  SecureHub(HubSettings settings) {
    this.settings = settings;
    this.security = HubSecurity.loadOrCreate(settings, clock, new SecureRandom());
    this.core = new HubCore(settings, clock, new Random(), db.dataSource(),
        new InMemoryNodeStore(), connections, security, Runnable::run);
    core.load();
    core.start(Executors.defaultThreadFactory(), clock.scheduler());
    this.tunnel = new SecureTunnel(core, connections, settings, clock);
    this.port = tunnel.start(callbacks);
  }

  Path dataDir() {
    return settings.dataDir();
  }

  String token(WorkspaceId workspace) {
    return core.joinTokens().create(JoinTokenRequest.of(workspace, "test-admin")).token();
  }

  IssuedJoinToken token(WorkspaceId ws, Map<String, String> labels, Duration ttl, int uses) {
    return core.joinTokens().create(new JoinTokenRequest(ws, labels, ttl, uses, "test-admin"));
  }

  /** Enrolls a node into the default workspace, trusting the hub's CA bundle. */
  TestCredentials enroll(String name) throws Exception {
    return TestCredentials.enroll(port, security.pki().snapshot().nodeTrustBundle(),
        token(WorkspaceId.DEFAULT), name);
  }

  @Override
  public void close() throws Exception {
    tunnel.stop(Duration.ofSeconds(5));
    callbacks.shutdownNow();
    core.stop(Duration.ofSeconds(5));
    db.close();
  }
}
