package io.cortexhub.hub.runtime;

import io.cortexhub.hub.config.HubSettings;
import io.cortexhub.hub.config.SettingsProducer;
import io.cortexhub.hub.connector.outbound.GrpcNodeConnectionFactory;
import io.cortexhub.hub.persistence.DatabaseMigrator;
import io.cortexhub.hub.registry.NodeStore;
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
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Builds the hub's core at deployment, after the schema is migrated, from container resources
 * (datasource, managed executors and thread factory, the JPA node store EJB), and stops it on
 * undeploy after the tunnel (which depends on this bean) has closed.
 */
@Singleton
@Startup
@DependsOn("DatabaseMigrator")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class HubRuntime {
  @Resource(lookup = DatabaseMigrator.DATASOURCE)
  private DataSource dataSource;

  @Resource
  private ManagedExecutorService executor;

  @Resource
  private ManagedScheduledExecutorService scheduler;

  @Resource
  private ManagedThreadFactory threads;

  @EJB
  private NodeStore nodeStore;

  private HubSettings settings;
  private HubCore core;
  private final GrpcNodeConnectionFactory connections = new GrpcNodeConnectionFactory();

  @PostConstruct
  void start() {
    settings = SettingsProducer.read(ConfigProvider.getConfig(HubRuntime.class.getClassLoader()));
    SecureRandom random = new SecureRandom();
    HubSecurity security = HubSecurity.loadOrCreate(settings, Clock.systemUTC(), random);
    core = new HubCore(settings, Clock.systemUTC(), random, dataSource, nodeStore, connections,
        security, executor);
    core.load();
    core.start(threads, scheduler);
  }

  @PreDestroy
  void stop() {
    core.stop(Duration.ofSeconds(10));
  }

  public HubCore core() {
    return core;
  }

  public HubSettings settings() {
    return settings;
  }

  public GrpcNodeConnectionFactory connections() {
    return connections;
  }

  public DataSource dataSource() {
    return dataSource;
  }
}
