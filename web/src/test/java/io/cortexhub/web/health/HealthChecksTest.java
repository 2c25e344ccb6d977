package io.cortexhub.web.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortexhub.hub.health.HubReadiness;
import io.cortexhub.web.testing.SimpleHealthResponses;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HealthChecksTest {

  @BeforeAll
  static void healthResponses() {
    SimpleHealthResponses.install();
  }

  @Test
  void readiness_isUpWhenEveryHubCheckIsUp_andReportsEach() {
    var check = new HubReadinessCheck(() -> List.of(
        new HubReadiness.Check("database", true, "H2 2.2.224"),
        new HubReadiness.Check("tunnel", true, "listening on 0.0.0.0:9443")));

    HealthCheckResponse response = check.call();

    assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    assertThat(response.getData()).hasValueSatisfying(data -> assertThat(data)
        .containsEntry("database", "UP: H2 2.2.224")
        .containsEntry("tunnel", "UP: listening on 0.0.0.0:9443"));
  }

  @Test
  void readiness_isDownWhenAnyHubCheckIsDown() {
    var check = new HubReadinessCheck(() -> List.of(
        new HubReadiness.Check("database", true, "ok"),
        new HubReadiness.Check("tunnel", false, "port 9443 in use")));

    HealthCheckResponse response = check.call();

    assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
    assertThat(response.getData().orElseThrow()).containsEntry("tunnel", "DOWN: port 9443 in use");
  }

  @Test
  void readiness_isDownWhenTheHubCannotSayOrHasNoChecks() {
    HubReadiness failing = () -> {
      throw new IllegalStateException("not started");
    };

    assertThat(new HubReadinessCheck(failing).call().getStatus())
        .isEqualTo(HealthCheckResponse.Status.DOWN);
    assertThat(new HubReadinessCheck(List::of).call().getStatus())
        .isEqualTo(HealthCheckResponse.Status.DOWN);
  }

  @Test
  void liveness_isUp() {
    assertThat(new HubLivenessCheck().call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
  }
}
