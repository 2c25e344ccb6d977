package io.cortexhub.node.consent;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortexhub.node.consent.ConsentDecision.Verdict;
import io.cortexhub.node.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Requests wait for an answer; the first answer wins; silence is a denial. Fake clock, no sleeps. */
class ConsentBrokerTest {
  private final FakeClock clock = new FakeClock(Instant.parse("2025-01-01T00:00:00Z"));
  private final List<String> heard = new ArrayList<>();
  private final ConsentListener listener = new ConsentListener() {
    @Override
    public void requested(PendingConsent p) {
      heard.add("requested " + p.request().taskId());
    }

    @Override
    public void decided(PendingConsent p, ConsentDecision d) {
      heard.add("decided " + d.taskId() + " " + d.verdict() + " by " + d.decidedBy());
    }

    @Override
    public void withdrawn(PendingConsent p) {
      heard.add("withdrawn " + p.request().taskId());
    }
  };
  private final ConsentBroker broker =
      new ConsentBroker(clock, clock.scheduler(), Duration.ofSeconds(60), new Random(7), listener);

  private static ConsentRequest req(String task) {
    return new ConsentRequest(task, List.of("/usr/bin/rm", "-rf", "build"), "/work/ws", "alice", "delete build/");
  }

  @Test
  void approve_completesTheFuture_withWhoAndWhen() {
    CompletableFuture<ConsentDecision> f = broker.request(req("t-1"));
    PendingConsent p = broker.pending().get(0);
    assertThat(p.id()).matches("[a-z2-9]{6}");
    assertThat(p.deadline()).isEqualTo(clock.instant().plusSeconds(60));
    assertThat(p.prompt()).isEqualTo("run [\"/usr/bin/rm\",\"-rf\",\"build\"] in /work/ws for task t-1 requested by"
        + " alice: delete build/");
    assertThat(f).isNotDone();

    clock.advance(Duration.ofSeconds(3));
    assertThat(broker.approve(p.id(), "socket:alice")).isPresent();
    ConsentDecision d = f.join();
    assertThat(d.verdict()).isEqualTo(Verdict.APPROVED);
    assertThat(d.approved()).isTrue();
    assertThat(d.decidedBy()).isEqualTo("socket:alice");
    assertThat(d.decidedAt()).isEqualTo(clock.instant());
    assertThat(broker.pending()).isEmpty();
    assertThat(clock.pending()).as("the timeout was cancelled").isZero();
    assertThat(heard).containsExactly("requested t-1", "decided t-1 APPROVED by socket:alice");
  }

  @Test
  void deny_completesTheFutureDenied() {
    CompletableFuture<ConsentDecision> f = broker.request(req("t-1"));
    broker.deny(broker.pending().get(0).id());
    assertThat(f.join().verdict()).isEqualTo(Verdict.DENIED);
    assertThat(f.join().approved()).isFalse();
    assertThat(f.join().decidedBy()).isEqualTo("owner");
  }

  @Test
  void silence_isATimeout_whichIsNotAnApproval() {
    CompletableFuture<ConsentDecision> f = broker.request(req("t-1"));
    String id = broker.pending().get(0).id();
    clock.advance(Duration.ofSeconds(59));
    assertThat(f).isNotDone();
    clock.advance(Duration.ofSeconds(1));
    assertThat(f.join().verdict()).isEqualTo(Verdict.TIMED_OUT);
    assertThat(f.join().approved()).isFalse();
    assertThat(f.join().decidedBy()).isEqualTo("timeout");
    assertThat(broker.approve(id)).as("too late").isEmpty();
    assertThat(f.join().verdict()).isEqualTo(Verdict.TIMED_OUT);
  }

  @Test
  void theFirstAnswerWins() {
    CompletableFuture<ConsentDecision> f = broker.request(req("t-1"));
    String id = broker.pending().get(0).id();
    assertThat(broker.deny(id)).isPresent();
    assertThat(broker.approve(id)).isEmpty();
    clock.advance(Duration.ofMinutes(5));
    assertThat(f.join().verdict()).isEqualTo(Verdict.DENIED);
    assertThat(broker.approve("nosuch")).isEmpty();
  }

  @Test
  void requestsAreListedOldestFirst_andFoundByTask() {
    broker.request(req("t-1"));
    clock.advance(Duration.ofSeconds(1));
    broker.request(req("t-2"));
    assertThat(broker.pending()).extracting(p -> p.request().taskId()).containsExactly("t-1", "t-2");
    assertThat(broker.pendingFor("t-2")).isPresent();
    assertThat(broker.pendingFor("t-3")).isEmpty();
    assertThat(broker.pending().get(0).id()).isNotEqualTo(broker.pending().get(1).id());
  }

  @Test
  void withdrawing_cancelsWithoutADecision() {
    CompletableFuture<ConsentDecision> f = broker.request(req("t-1"));
    assertThat(broker.withdraw("t-1")).isTrue();
    assertThat(f).isCancelled();
    assertThat(broker.withdraw("t-1")).isFalse();
    assertThat(clock.pending()).isZero();
    assertThat(heard).containsExactly("requested t-1", "withdrawn t-1");
  }

  @Test
  void aFlood_isDeniedAtOnceBeyondTheLimit() {
    for (int i = 0; i < ConsentBroker.MAX_PENDING; i++) {
      broker.request(req("t-" + i));
    }
    CompletableFuture<ConsentDecision> extra = broker.request(req("t-extra"));
    assertThat(extra.join().verdict()).isEqualTo(Verdict.DENIED);
    assertThat(extra.join().decidedBy()).contains("too many pending");
    assertThat(broker.pending()).hasSize(ConsentBroker.MAX_PENDING);
    broker.close();
    assertThat(broker.pending()).isEmpty();
  }
}
