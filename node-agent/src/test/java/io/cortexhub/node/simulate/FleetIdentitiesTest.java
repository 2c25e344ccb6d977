package io.cortexhub.node.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortexhub.node.identity.Credentials;
import io.cortexhub.node.testing.TestCa;
import io.cortexhub.node.testing.TestTaskSigner;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetIdentitiesTest {
  @TempDir Path dir;
  final TestCa ca = TestCa.create("Cortex Test CA");
  final TestTaskSigner signer = TestTaskSigner.create();
  final AtomicInteger enrolled = new AtomicInteger();

  Credentials issue(String name, Duration lifetime) {
    enrolled.incrementAndGet();
    KeyPair keys = TestCa.ecKeys();
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    String nodeId = "n-" + name;
    var cert = ca.issueNode(keys.getPublic(), nodeId, "default", now.minus(Duration.ofMinutes(1)), now.plus(lifetime));
    return Credentials.fromBundle(ca.bundle(cert, nodeId, "default", List.of(ca), List.of(signer.signingKey())), keys.getPrivate());
  }

  List<String> names(int n) {
    return java.util.stream.IntStream.range(0, n).mapToObj(i -> Simulation.nodeName("sim-", i)).toList();
  }

  @Test
  void identitiesAreEnrolledOnce_thenReusedFromTheCache() {
    var first = FleetIdentities.loadOrEnroll(dir, names(5), Optional.of(n -> issue(n, Duration.ofHours(24))), Clock.systemUTC(), 3);
    assertThat(first).extracting(FleetIdentities.Identity::enrolledNow).containsOnly(true);
    assertThat(first).extracting(i -> i.credentials().nodeId()).containsExactly("n-sim-00000", "n-sim-00001", "n-sim-00002", "n-sim-00003", "n-sim-00004");
    assertThat(dir.resolve("sim-00003").resolve("credentials.pem")).exists();

    var again = FleetIdentities.loadOrEnroll(dir, names(7), Optional.of(n -> issue(n, Duration.ofHours(24))), Clock.systemUTC(), 3);
    assertThat(enrolled.get()).isEqualTo(7); // only the two new ones
    assertThat(again.subList(0, 5)).extracting(FleetIdentities.Identity::enrolledNow).containsOnly(false);
    assertThat(again.get(2).credentials().certificate()).isEqualTo(first.get(2).credentials().certificate());
  }

  @Test
  void expiringIdentities_areEnrolledAgain() {
    FleetIdentities.loadOrEnroll(dir, names(2), Optional.of(n -> issue(n, Duration.ofSeconds(30))), Clock.systemUTC(), 1);
    var again = FleetIdentities.loadOrEnroll(dir, names(2), Optional.of(n -> issue(n, Duration.ofHours(1))), Clock.systemUTC(), 1);
    assertThat(again).extracting(FleetIdentities.Identity::enrolledNow).containsOnly(true);
  }

  @Test
  void missingIdentities_withoutAJoinToken_areAClearError() {
    assertThatThrownBy(() -> FleetIdentities.loadOrEnroll(dir, names(3), Optional.empty(), Clock.systemUTC(), 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("3 of 3 simulated identities are missing")
        .hasMessageContaining("--join-token");
  }

  @Test
  void aFailedEnrollment_namesTheReason() {
    assertThatThrownBy(
            () ->
                FleetIdentities.loadOrEnroll(
                    dir, names(2), Optional.of(n -> { throw new IllegalStateException("token used up"); }), Clock.systemUTC(), 1))
        .hasMessageContaining("token used up");
  }
}
