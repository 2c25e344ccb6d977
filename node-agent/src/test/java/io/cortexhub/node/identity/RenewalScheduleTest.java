package io.cortexhub.node.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RenewalScheduleTest {
  final Instant nb = Instant.parse("2026-01-01T00:00:00Z");
  final Instant na = nb.plus(Duration.ofHours(24));

  @Test
  void renewal_fallsAtTwoThirds_plusMinusTenPercent_andIsSpread() {
    Random r = new Random(1);
    Set<Long> minutes = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      Instant at = RenewalSchedule.renewAt(nb, na, r);
      Duration d = Duration.between(nb, at);
      assertThat(d).isBetween(Duration.ofMinutes(16 * 60 * 9 / 10), Duration.ofMinutes(16 * 60 * 11 / 10));
      minutes.add(d.toMinutes());
    }
    assertThat(minutes.size()).isGreaterThan(100); // jittered, not one instant for a whole fleet
  }

  @Test
  void retries_comeSoonerAsExpiryNears_withinBounds() {
    Random r = new Random(2);
    assertThat(RenewalSchedule.retryDelay(Duration.ofHours(8), r)).isBetween(Duration.ofSeconds(150), Duration.ofMinutes(5));
    assertThat(RenewalSchedule.retryDelay(Duration.ofMinutes(10), r)).isBetween(Duration.ofSeconds(30), Duration.ofSeconds(60));
    assertThat(RenewalSchedule.retryDelay(Duration.ofSeconds(3), r)).isBetween(Duration.ofMillis(2500), Duration.ofSeconds(5));
  }
}
