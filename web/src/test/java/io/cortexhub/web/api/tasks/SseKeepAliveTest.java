package io.cortexhub.web.api.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortexhub.web.testing.MutableClock;
import io.cortexhub.web.testing.Views;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SseKeepAliveTest {

  private final MutableClock clock = new MutableClock(Views.T0);

  @Test
  void defaultInterval_isFifteenSeconds() {
    assertThat(SseKeepAlive.parse(SseKeepAlive.DEFAULT)).isEqualTo(Duration.ofSeconds(15));
    assertThat(SseKeepAlive.KEY).isEqualTo("cortex.sse.keepalive");
  }

  @Test
  void configuredInterval_isAnIsoDurationWithSurroundingBlanksIgnored() {
    assertThat(SseKeepAlive.parse(" PT2M ")).isEqualTo(Duration.ofMinutes(2));
    assertThat(SseKeepAlive.parse("PT0.5S")).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void intervalThatIsNotADuration_isRejectedNamingTheKey() {
    assertThatThrownBy(() -> SseKeepAlive.parse("15"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cortex.sse.keepalive").hasMessageContaining("'15'");
    assertThatThrownBy(() -> SseKeepAlive.parse(""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cortex.sse.keepalive");
  }

  @Test
  void zeroNegativeOrSubMillisecondInterval_isRejectedNamingTheKey() {
    for (String bad : new String[] {"PT0S", "-PT15S", "PT0.0001S"}) {
      assertThatThrownBy(() -> SseKeepAlive.parse(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("cortex.sse.keepalive");
    }
    assertThatThrownBy(() -> new SseKeepAlive(Duration.ZERO, clock.scheduler()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void missingArguments_areRejected() {
    assertThatThrownBy(() -> new SseKeepAlive(null, clock.scheduler()))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("interval");
    assertThatThrownBy(() -> new SseKeepAlive(Duration.ofSeconds(1), null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("scheduler");
    assertThatThrownBy(() -> SseKeepAlive.parse(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void ticks_comeEveryIntervalUntilCancelled() {
    AtomicInteger ticks = new AtomicInteger();
    ScheduledFuture<?> handle =
        new SseKeepAlive(Duration.ofSeconds(10), clock.scheduler()).every(ticks::incrementAndGet);

    clock.advance(Duration.ofSeconds(35));
    handle.cancel(false);
    clock.advance(Duration.ofMinutes(1));

    assertThat(ticks).hasValue(3);
  }
}
