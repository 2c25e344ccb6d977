package io.cortexhub.node.consent;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortexhub.node.consent.ConsentDecision.Verdict;
import io.cortexhub.node.testing.FakeClock;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@code run --prompt}: the owner answers in the terminal, oldest request first, beside the socket. */
class TerminalPromptTest {
  private final FakeClock clock = new FakeClock(Instant.parse("2025-01-01T00:00:00Z"));
  private final StringWriter screen = new StringWriter();
  private final TerminalPrompt prompt = new TerminalPrompt(new PrintWriter(screen, true));
  private final ConsentBroker broker =
      new ConsentBroker(clock, clock.scheduler(), Duration.ofSeconds(60), new Random(7), prompt);

  private static ConsentRequest req(String task) {
    return new ConsentRequest(task, List.of("/usr/bin/rm", "-rf", task), "/work/ws", "alice", "");
  }

  private void typed(String lines) {
    prompt.start(broker, new BufferedReader(new StringReader(lines)), Runnable::run);
  }

  @Test
  void yesApprovesTheOldest_thenTheNextIsAsked_andNoDeniesIt() {
    CompletableFuture<ConsentDecision> first = broker.request(req("t-1"));
    CompletableFuture<ConsentDecision> second = broker.request(req("t-2"));
    String firstId = broker.pending().get(0).id();
    String secondId = broker.pending().get(1).id();

    typed("y\nn\n");

    assertThat(first.join().verdict()).isEqualTo(Verdict.APPROVED);
    assertThat(first.join().decidedBy()).isEqualTo(TerminalPrompt.DECIDED_BY);
    assertThat(second.join().verdict()).isEqualTo(Verdict.DENIED);
    assertThat(screen.toString()).containsSubsequence(
        "[consent " + firstId + "] run [\"/usr/bin/rm\",\"-rf\",\"t-1\"] in /work/ws for task t-1 requested by alice",
        "approve? [y/N]",
        "[consent " + secondId + "] queued behind 1 other request(s)",
        "[consent " + firstId + "] approved",
        "[consent " + secondId + "] run [\"/usr/bin/rm\",\"-rf\",\"t-2\"]",
        "[consent " + secondId + "] denied");
  }

  @Test
  void anAnswerThroughTheSocket_endsTheQuestionInTheTerminal_andTheNextIsAsked() {
    CompletableFuture<ConsentDecision> first = broker.request(req("t-1"));
    broker.request(req("t-2"));
    String firstId = broker.pending().get(0).id();
    String secondId = broker.pending().get(1).id();
    typed("");

    broker.approve(firstId, "socket:bob");

    assertThat(first.join().decidedBy()).isEqualTo("socket:bob");
    assertThat(screen.toString()).containsSubsequence("[consent " + firstId + "] approved by socket:bob",
        "[consent " + secondId + "] run [\"/usr/bin/rm\",\"-rf\",\"t-2\"]", "approve? [y/N]");
  }

  @Test
  void silence_isATimeout_shownAsADenial() {
    CompletableFuture<ConsentDecision> f = broker.request(req("t-1"));
    String id = broker.pending().get(0).id();
    typed("");

    clock.advance(Duration.ofSeconds(61));

    assertThat(f.join().verdict()).isEqualTo(Verdict.TIMED_OUT);
    assertThat(screen.toString()).contains("[consent " + id + "] timed out: denied");
  }

  @Test
  void anIdAndAnAnswer_decideThatRequest_anUnknownIdOrAWordOtherThanYesOrNo_decideNothing() {
    CompletableFuture<ConsentDecision> first = broker.request(req("t-1"));
    CompletableFuture<ConsentDecision> second = broker.request(req("t-2"));
    String secondId = broker.pending().get(1).id();

    typed(secondId + " y\nzzzzzz y\nmaybe\n");

    assertThat(second.join().verdict()).isEqualTo(Verdict.APPROVED);
    assertThat(first).isNotDone();
    assertThat(screen.toString()).contains("[consent zzzzzz] is not waiting").contains("answer y or n");
  }

  @Test
  void anAnswerWithNothingWaiting_saysSo() {
    typed("y\n");

    assertThat(screen.toString()).contains("(no consent request is waiting)");
  }
}
