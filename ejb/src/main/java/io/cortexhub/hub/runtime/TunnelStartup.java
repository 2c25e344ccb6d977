package io.cortexhub.hub.runtime;

import io.cortexhub.hub.config.HubSettings;
import io.cortexhub.hub.tls.HubCertificates;
import io.cortexhub.hub.tls.TlsMaterial;
import io.cortexhub.hub.tunnel.NodeTunnelService;
import io.cortexhub.hub.tunnel.TunnelServer;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;

/**
 * Starts the node tunnel (gRPC over TLS) once the hub core is up, on the container's managed
 * executor, and stops it first on undeploy: streams end with UNAVAILABLE, then shutdown, await,
 * shutdownNow, so the port is free when the application is gone.
 */
@Singleton
@Startup
@DependsOn("HubRuntime")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class TunnelStartup {
  @EJB
  private HubRuntime runtime;

  @Resource
  private ManagedExecutorService executor;

  private TunnelServer server;
  private volatile String address = "";

  @PostConstruct
  void start() {
    HubSettings s = runtime.settings();
    TlsMaterial tls = HubCertificates.loadOrCreate(s, Clock.systemUTC(), new SecureRandom());
    NodeTunnelService service = new NodeTunnelService(runtime.core(), runtime.connections(),
        Clock.systemUTC(), s.heartbeatInterval(), s.maxFrameBytes(), s.sendQueueFrames());
    server = new TunnelServer(service);
    int port = server.start(s.tunnelHost(), s.tunnelPort(), tls, s.maxFrameBytes(), executor);
    address = s.tunnelHost() + ":" + port;
  }

  @PreDestroy
  void stop() {
    server.stop(Duration.ofSeconds(5));
  }

  public boolean isListening() {
    return server != null && server.isListening();
  }

  public String address() {
    return address;
  }
}
