package io.cortexhub.hub.auth.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortexhub.hub.auth.LoginThrottledException;
import io.cortexhub.hub.testing.FakeClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

  private final FakeClock clock = new FakeClock();
  private final LoginThrottle throttle =
      new LoginThrottle(3, Duration.ofSeconds(10), Duration.ofMinutes(15), clock);

  @Test
  void belowTheLimit_attemptsAreAllowed() {
    throttle.failed("alice", "10.0.0.1");
    throttle.failed("alice", "10.0.0.1");

    assertThatCode(() -> throttle.check("alice", "10.0.0.1")).doesNotThrowAnyException();
  }

  @Test
  void atTheLimit_theUserIsBlockedForTheLockout_thenAllowedAgain() {
    for (int i = 0; i < 3; i++) {
      throttle.failed("alice", "10.0.0." + i);
    }

    assertThatThrownBy(() -> throttle.check("alice", "10.9.9.9"))
        .isInstanceOfSatisfying(LoginThrottledException.class,
            e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(10)))
        .hasMessageContaining("for this user");
    clock.advance(Duration.ofSeconds(10));
    assertThatCode(() -> throttle.check("alice", "10.9.9.9")).doesNotThrowAnyException();
  }

  @Test
  void eachFurtherFailure_doublesTheLockout_upToTheCap() {
    for (int i = 0; i < 5; i++) {
      throttle.failed("alice", "a" + i);
    }
    assertRetryAfter("alice", Duration.ofSeconds(40));

    for (int i = 0; i < 20; i++) {
      throttle.failed("alice", "b" + i);
    }
    assertRetryAfter("alice", Duration.ofMinutes(15));
  }

  @Test
  void oneAddressGuessingManyUsers_isBlocked() {
    throttle.failed("u1", "10.0.0.1");
    throttle.failed("u2", "10.0.0.1");
    throttle.failed("u3", "10.0.0.1");

    assertThatThrownBy(() -> throttle.check("u4", "10.0.0.1"))
        .isInstanceOf(LoginThrottledException.class).hasMessageContaining("from this address");
  }

  @Test
  void success_clearsTheUserCount_butNotTheAddressCount() {
    throttle.failed("alice", "10.0.0.1");
    throttle.failed("alice", "10.0.0.1");
    throttle.succeeded("alice");
    throttle.failed("alice", "10.0.0.2");

    assertThatCode(() -> throttle.check("alice", "10.0.0.3")).doesNotThrowAnyException();
    throttle.failed("bob", "10.0.0.1");
    assertThatThrownBy(() -> throttle.check("carol", "10.0.0.1"))
        .isInstanceOf(LoginThrottledException.class);
  }

  @Test
  void failuresLongAgo_areForgotten() {
    throttle.failed("alice", "x1");
    throttle.failed("alice", "x2");
    clock.advance(Duration.ofMinutes(16));
    throttle.failed("alice", "x3");

    assertThatCode(() -> throttle.check("alice", "x4")).doesNotThrowAnyException();
  }

  private void assertRetryAfter(String user, Duration expected) {
    assertThatThrownBy(() -> throttle.check(user, "elsewhere"))
        .isInstanceOfSatisfying(LoginThrottledException.class,
            e -> assertThat(e.retryAfter()).isEqualTo(expected));
  }
}
