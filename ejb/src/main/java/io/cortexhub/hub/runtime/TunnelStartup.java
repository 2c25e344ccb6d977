package io.cortexhub.hub.runtime;

import io.cortexhub.hub.config.HubSettings;
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
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Starts the node tunnel (gRPC over TLS; enrollment, renewal and mTLS sessions on one listener)
 * once the hub core is up, and stops it first on undeploy: streams end with UNAVAILABLE, then
 * shutdown, await, shutdownNow, so the port is free when the application is gone.
 */
@Singleton
@Startup
@DependsOn("HubRuntime")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class TunnelStartup {
  @EJB
  private HubRuntime runtime;

  /**
   * Threads for gRPC callbacks. Not the ManagedExecutorService itself: it captures and restores the
   * container context for every submitted task (a class-loader resource scan each time), and gRPC
   * submits a task per stream event, so with thousands of streams that capture took more CPU than
   * the hub's own work. A plain pool of container-managed threads keeps the context per thread.
   */
  static final int CALLBACK_THREADS = 8;

  @Resource
  private ManagedThreadFactory threads;

  private ExecutorService callbacks;
  private SecureTunnel server;
  private volatile String address = "";

  @PostConstruct
  void start() {
    HubSettings s = runtime.settings();
    callbacks = Executors.newFixedThreadPool(CALLBACK_THREADS, threads);
    server = new SecureTunnel(runtime.core(), runtime.connections(), s, Clock.systemUTC());
    int port = server.start(callbacks);
    address = s.tunnelHost() + ":" + port;
  }

  @PreDestroy
  void stop() {
    server.stop(Duration.ofSeconds(5));
    callbacks.shutdown();
    try {
      if (!callbacks.awaitTermination(5, TimeUnit.SECONDS)) {
        callbacks.shutdownNow();
      }
    } catch (InterruptedException e) {
      callbacks.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  public boolean isListening() {
    return server != null && server.isListening();
  }

  public String address() {
    return address;
  }
}
