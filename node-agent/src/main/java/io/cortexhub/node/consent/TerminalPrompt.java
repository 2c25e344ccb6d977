package io.cortexhub.node.consent;

import io.cortexhub.node.consent.ConsentDecision.Verdict;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Asks the owner in the terminal that runs {@code cortex-node run --prompt}, one request at a time,
 * oldest first: {@code y} approves, {@code n} (or an empty line) denies, {@code ID y|n} answers a
 * specific request. The approvals socket keeps working beside it; whichever answers first wins, and
 * the terminal is told how the others ended (approved elsewhere, timed out, withdrawn).
 *
 * <p>Why opt-in: a daemon has no terminal, and reading the agent's stdin uninvited would take it from
 * whatever started the agent. End of input stops the prompt, not the agent.
 *
 * <p>Thread-safe: listener calls come from the broker's threads, answers from the reader thread;
 * state is guarded by {@code this}.
 */
public final class TerminalPrompt implements ConsentListener {
  private static final Logger LOG = Logger.getLogger(TerminalPrompt.class.getName());
  /** Who the decisions are recorded as, in the audit log and on the hub. */
  public static final String DECIDED_BY = "terminal";

  private final PrintWriter out;
  private final Deque<PendingConsent> waiting = new ArrayDeque<>();
  private ConsentBroker broker;

  /** @param out where questions and outcomes are written (the terminal) */
  public TerminalPrompt(PrintWriter out) {
    this.out = Objects.requireNonNull(out, "out");
  }

  /**
   * Starts reading answers from {@code in} on {@code reader} (one long-lived thread) for {@code
   * broker}, which must have this prompt as its listener.
   */
  public void start(ConsentBroker broker, BufferedReader in, Executor reader) {
    synchronized (this) {
      this.broker = Objects.requireNonNull(broker, "broker");
    }
    reader.execute(() -> readAnswers(in));
  }

  @Override
  public void requested(PendingConsent p) {
    synchronized (this) {
      waiting.addLast(p);
      if (waiting.size() == 1) {
        ask(p);
      } else {
        out.println("[consent " + p.id() + "] queued behind " + (waiting.size() - 1) + " other request(s)");
        out.flush();
      }
    }
  }

  @Override
  public void decided(PendingConsent p, ConsentDecision d) {
    String verdict = d.approved() ? "approved" : "denied";
    ended(p, d.verdict() == Verdict.TIMED_OUT ? "timed out: denied"
        : d.decidedBy().equals(DECIDED_BY) ? verdict : verdict + " by " + d.decidedBy());
  }

  @Override
  public void withdrawn(PendingConsent p) {
    ended(p, "withdrawn (the task was cancelled)");
  }

  /** Removes {@code p}, says how it ended, and asks the next question if {@code p} was the one asked. */
  private synchronized void ended(PendingConsent p, String how) {
    boolean wasAsked = !waiting.isEmpty() && waiting.peekFirst().id().equals(p.id());
    if (!waiting.removeIf(w -> w.id().equals(p.id()))) {
      return;
    }
    out.println("[consent " + p.id() + "] " + how);
    if (wasAsked && !waiting.isEmpty()) {
      ask(waiting.peekFirst());
    }
    out.flush();
  }

  private void ask(PendingConsent p) {
    out.println("[consent " + p.id() + "] " + p.prompt());
    out.print("[consent " + p.id() + "] approve? [y/N] (denied at " + p.deadline() + " without an answer) ");
    out.flush();
  }

  private void readAnswers(BufferedReader in) {
    try {
      String line;
      while ((line = in.readLine()) != null) {
        answer(line.strip());
      }
      LOG.info("end of terminal input: consent is answered through the approvals socket only from now on");
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot read the terminal; consent is answered through the approvals socket only", e);
    }
  }

  /** One line typed by the owner. */
  void answer(String line) {
    String[] words = line.split("\\s+");
    ConsentBroker b;
    Optional<String> id;
    String verdict;
    synchronized (this) {
      b = broker;
      if (words.length == 2) {
        id = Optional.of(words[0]);
        verdict = words[1];
      } else {
        id = Optional.ofNullable(waiting.peekFirst()).map(PendingConsent::id);
        verdict = words[0];
      }
      if (id.isEmpty()) {
        out.println("(no consent request is waiting)");
        out.flush();
        return;
      }
    }
    // The broker calls decided() back, which says how it ended: decide outside this monitor.
    Optional<ConsentDecision> d = switch (verdict.toLowerCase(Locale.ROOT)) {
      case "y", "yes" -> b.approve(id.get(), DECIDED_BY);
      case "n", "no", "" -> b.deny(id.get(), DECIDED_BY);
      default -> {
        out.println("answer y or n (or 'ID y' / 'ID n')");
        out.flush();
        yield null;
      }
    };
    if (d != null && d.isEmpty()) {
      out.println("[consent " + id.get() + "] is not waiting (answered, timed out or withdrawn)");
      out.flush();
    }
  }
}
