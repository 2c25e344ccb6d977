package io.cortexhub.hub.runtime;

import io.cortexhub.hub.health.HubReadiness;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** {@link HubReadiness} EJB: the database answers, the tunnel listens, the journal keeps up. */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class EjbHubReadiness implements HubReadiness {
  @EJB
  private HubRuntime runtime;

  @EJB
  private TunnelStartup tunnel;

  @Override
  public List<Check> checks() {
    return List.of(database(), tunnel(), journal());
  }

  private Check database() {
    try (Connection c = runtime.dataSource().getConnection()) {
      boolean ok = c.isValid(2);
      return new Check("database", ok, c.getMetaData().getDatabaseProductName()
          + (ok ? " reachable" : " not answering"));
    } catch (SQLException e) {
      return new Check("database", false, "unreachable: " + e.getMessage());
    }
  }

  private Check tunnel() {
    boolean up = tunnel.isListening();
    return new Check("tunnel", up, up ? "listening on " + tunnel.address() : "not listening");
  }

  private Check journal() {
    int backlog = runtime.core().journal().backlog();
    int limit = runtime.settings().journalCapacity();
    return new Check("journal", backlog < limit, backlog + " entries waiting");
  }
}
