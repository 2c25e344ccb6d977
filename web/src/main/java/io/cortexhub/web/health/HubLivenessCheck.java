package io.cortexhub.web.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * MicroProfile liveness ({@code /health/live}): UP whenever the application can answer at all.
 *
 * <p>Deliberately not tied to the database or the tunnel: a restart does not cure an unreachable
 * database, and an orchestrator that restarts the hub for it would only drop every node's stream.
 * Those belong to readiness ({@link HubReadinessCheck}).
 */
@Liveness
@ApplicationScoped
public class HubLivenessCheck implements HealthCheck {

  /** Name of the check in the health response. */
  public static final String NAME = "cortex-hub-web";

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.up(NAME);
  }
}
