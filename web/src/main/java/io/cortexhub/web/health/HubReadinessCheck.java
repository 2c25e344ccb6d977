package io.cortexhub.web.health;

import io.cortexhub.hub.health.HubReadiness;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Objects;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * MicroProfile readiness ({@code /health/ready}): UP only while every {@link HubReadiness} check is
 * up (the database answers, the tunnel listens).
 *
 * <p>MicroProfile Health registers one check per CDI bean, and the hub's list of dependencies is only
 * known at run time, so this one check carries each dependency as a data entry {@code name → "UP:
 * detail"} / {@code "DOWN: detail"}. A hub whose readiness cannot be read at all is DOWN.
 * Thread-safe: it holds no state of its own.
 */
@Readiness
@ApplicationScoped
public class HubReadinessCheck implements HealthCheck {

  /** Name of the check in the health response. */
  public static final String NAME = "cortex-hub";

  private HubReadiness readiness;

  /** For CDI's client proxy only. */
  protected HubReadinessCheck() {}

  @Inject
  public HubReadinessCheck(HubReadiness readiness) {
    this.readiness = Objects.requireNonNull(readiness, "readiness");
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME);
    List<HubReadiness.Check> checks;
    try {
      checks = readiness.checks();
    } catch (RuntimeException e) {
      return response.down().withData("error", String.valueOf(e.getMessage())).build();
    }
    boolean up = !checks.isEmpty();
    for (HubReadiness.Check check : checks) {
      up &= check.up();
      response.withData(check.name(), (check.up() ? "UP: " : "DOWN: ") + check.detail());
    }
    return response.status(up).build();
  }
}
