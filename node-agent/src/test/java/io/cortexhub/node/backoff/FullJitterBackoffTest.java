package io.cortexhub.node.backoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FullJitterBackoffTest {
  private static final Duration BASE = Duration.ofMillis(500);
  private static final Duration CAP = Duration.ofSeconds(30);

  @Test
  void ceiling_doublesFromBase_untilTheCap() {
    FullJitterBackoff b = new FullJitterBackoff(BASE, CAP, new Random(1));
    List<Long> ceilings = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      ceilings.add(b.ceiling().toMillis());
      b.nextDelay();
    }
    assertThat(ceilings).containsExactly(500L, 1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L, 30000L);
  }

  @Test
  void delays_stayWithinZeroAndTheCeiling_evenAfterManyAttempts() {
    FullJitterBackoff b = new FullJitterBackoff(BASE, CAP, new Random(2));
    for (int i = 0; i < 10_000; i++) {
      long ceiling = b.ceiling().toMillis();
      long d = b.nextDelay().toMillis();
      assertThat(d).isBetween(0L, ceiling);
      assertThat(d).isLessThanOrEqualTo(CAP.toMillis());
    }
  }

  @Test
  void jitter_isSpreadUniformlyOverTheWholeWindow() {
    Random random = new Random(3);
    int[] quarters = new int[4];
    long sum = 0;
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      FullJitterBackoff b = new FullJitterBackoff(Duration.ofMillis(1000), CAP, random);
      long d = b.nextDelay().toMillis(); // first attempt: uniform over [0, 1000]
      sum += d;
      quarters[(int) Math.min(3, d / 250)]++;
    }
    assertThat((double) sum / n).isBetween(480.0, 520.0);
    for (int q : quarters) {
      assertThat(q).isBetween(n / 4 - n / 40, n / 4 + n / 40);
    }
  }

  @Test
  void reset_startsAgainFromTheBase() {
    FullJitterBackoff b = new FullJitterBackoff(BASE, CAP, new Random(4));
    for (int i = 0; i < 20; i++) {
      b.nextDelay();
    }
    assertThat(b.ceiling()).isEqualTo(CAP);
    b.reset();
    assertThat(b.ceiling()).isEqualTo(BASE);
    assertThat(b.nextDelay()).isLessThanOrEqualTo(BASE);
  }

  @Test
  void sameSeed_givesTheSameDelays() {
    FullJitterBackoff a = new FullJitterBackoff(BASE, CAP, new Random(42));
    FullJitterBackoff b = new FullJitterBackoff(BASE, CAP, new Random(42));
    for (int i = 0; i < 50; i++) {
      assertThat(a.nextDelay()).isEqualTo(b.nextDelay());
    }
  }

  @Test
  void badArguments_areRefused() {
    assertThatThrownBy(() -> new FullJitterBackoff(Duration.ZERO, CAP, new Random()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FullJitterBackoff(CAP, BASE, new Random()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("below base");
  }
}
