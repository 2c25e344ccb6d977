package io.cortexhub.hub.runtime;

import io.cortexhub.hub.config.HubSettings;
import io.cortexhub.hub.connector.outbound.GrpcNodeConnectionFactory;
import io.cortexhub.hub.pki.HubPki;
import io.cortexhub.hub.pki.PeerCertificateVerifier;
import io.cortexhub.hub.tunnel.EnrollmentEndpoint;
import io.cortexhub.hub.tunnel.NodeTunnelService;
import io.cortexhub.hub.tunnel.PeerAuthInterceptor;
import io.cortexhub.hub.tunnel.TunnelServer;
import io.cortexhub.hub.tunnel.TunnelTls;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The tunnel with all of the security stack around a {@link HubCore}: mTLS identities, session
 * tokens, enrollment and renewal, CA rotation and workspace changes pushed to live sessions.
 * Plain Java, so that {@link TunnelStartup}, tests and benchmarks assemble exactly the same thing.
 * Not thread-safe: start and stop from one owner.
 */
public final class SecureTunnel {
  private final HubCore core;
  private final HubSettings settings;
  private final NodeTunnelService service;
  private final TunnelServer server;

  public SecureTunnel(HubCore core, GrpcNodeConnectionFactory connections, HubSettings settings,
      Clock clock) {
    this.core = Objects.requireNonNull(core, "core");
    this.settings = Objects.requireNonNull(settings, "settings");
    HubSecurity security = core.security();
    PeerCertificateVerifier verifier = new PeerCertificateVerifier(security.pki(), clock,
        core.identities()::isEnrolled, core.revocations()::isRevoked);
    this.service = new NodeTunnelService(core, connections, PeerAuthInterceptor.identities(),
        core::sessionGrant, clock, settings.heartbeatInterval(), settings.maxFrameBytes(),
        settings.sendQueueFrames());
    security.pki().onChange(event -> {
      if (event == HubPki.CaEvent.ROTATION_STARTED) {
        service.requestCredentialRenewal();
      }
    });
    core.workspaces().onSaved(w ->
        service.refreshSessionTokens(node -> node.workspace().equals(w.id())));
    this.server = new TunnelServer(service, new PeerAuthInterceptor(verifier, security.sessions()),
        new EnrollmentEndpoint(core.enrollment()).services());
  }

  /** Binds the configured host and port (0 = any free port); returns the bound port. */
  public int start(Executor callbacks) {
    HubPki pki = core.security().pki();
    return server.start(settings.tunnelHost(), settings.tunnelPort(),
        TunnelTls.serverContext(pki), pki.snapshot().serverCaFingerprint(),
        settings.maxFrameBytes(), callbacks);
  }

  public void stop(java.time.Duration grace) {
    server.stop(grace);
  }

  public boolean isListening() {
    return server.isListening();
  }

  public NodeTunnelService service() {
    return service;
  }
}
