package io.cortexhub.node.consent;

import io.cortexhub.node.consent.ConsentDecision.Verdict;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Holds consent requests until the node's owner approves or denies them, or the timeout denies
 * them ({@link Verdict#TIMED_OUT}).
 *
 * <p>Each request gets a short random id the owner types ({@code cortex-node approve ID}). The
 * first answer wins (owner, timeout or withdrawal race safely); a later one finds nothing. A
 * {@link ConsentListener} hears of each request and decision, which is where the agent writes the
 * audit records and tells the hub the task is awaiting consent. At most {@link #MAX_PENDING}
 * requests wait at once; beyond that a request is denied at once, so a flood from the hub cannot
 * grow without bound.
 *
 * <p>Thread-safe. Futures are completed (and listeners called) on the answering thread — the
 * socket server's, or the scheduler's for a timeout — so callers should continue with async stages
 * on their own executor.
 */
public final class ConsentBroker implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ConsentBroker.class.getName());

  /** Default time the owner has to answer. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

  /** Most requests waiting at once. */
  public static final int MAX_PENDING = 256;

  private static final String ID_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"; // no 0/o, 1/l/i
  private static final int ID_LENGTH = 6;

  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final Duration timeout;
  private final Random random;
  private final ConsentListener listener;
  private final Map<String, Entry> pending = new ConcurrentHashMap<>();

  private static final class Entry {
    final PendingConsent consent;
    final CompletableFuture<ConsentDecision> future = new CompletableFuture<>();
    volatile ScheduledFuture<?> timer;

    Entry(PendingConsent consent) {
      this.consent = consent;
    }
  }

  /** A broker without a listener. */
  public ConsentBroker(Clock clock, ScheduledExecutorService scheduler, Duration timeout, Random random) {
    this(clock, scheduler, timeout, random, ConsentListener.NONE);
  }

  /**
   * @param timeout how long a request waits before it is denied as {@link Verdict#TIMED_OUT}
   * @param random draws request ids (a {@code SecureRandom} in the agent)
   */
  public ConsentBroker(
      Clock clock, ScheduledExecutorService scheduler, Duration timeout, Random random, ConsentListener listener) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.random = Objects.requireNonNull(random, "random");
    this.listener = Objects.requireNonNull(listener, "listener");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("consent timeout must be positive: " + timeout);
    }
  }

  /** Asks the owner; the future completes with the answer or {@link Verdict#TIMED_OUT}. */
  public CompletableFuture<ConsentDecision> request(ConsentRequest r) {
    return open(r).future;
  }

  private Entry open(ConsentRequest r) {
    Objects.requireNonNull(r, "request");
    Instant now = clock.instant();
    String id;
    Entry e;
    do {
      id = newId();
      e = new Entry(new PendingConsent(id, r, now, now.plus(timeout)));
    } while (pending.putIfAbsent(id, e) != null);
    if (pending.size() > MAX_PENDING) {
      pending.remove(id);
      LOG.warning("consent request for task " + r.taskId() + " denied at once: " + MAX_PENDING
          + " requests are already waiting");
      e.future.complete(new ConsentDecision(id, r.taskId(), Verdict.DENIED, "broker: too many pending requests", now));
      return e;
    }
    listener.requested(e.consent);
    String finalId = id;
    e.timer = scheduler.schedule(
        () -> decide(finalId, Verdict.TIMED_OUT, "timeout"), timeout.toMillis(), TimeUnit.MILLISECONDS);
    return e;
  }

  /** The requests waiting now, oldest first. */
  public List<PendingConsent> pending() {
    return pending.values().stream()
        .map(e -> e.consent)
        .sorted(Comparator.comparing(PendingConsent::requestedAt).thenComparing(PendingConsent::id))
        .toList();
  }

  /** The request waiting for {@code taskId}, if any. */
  public Optional<PendingConsent> pendingFor(String taskId) {
    return pending().stream().filter(p -> p.request().taskId().equals(taskId)).findFirst();
  }

  /** Approves request {@code id} on behalf of "owner"; empty if no such request is waiting. */
  public Optional<ConsentDecision> approve(String id) {
    return approve(id, "owner");
  }

  /** Denies request {@code id} on behalf of "owner"; empty if no such request is waiting. */
  public Optional<ConsentDecision> deny(String id) {
    return deny(id, "owner");
  }

  public Optional<ConsentDecision> approve(String id, String decidedBy) {
    return decide(id, Verdict.APPROVED, decidedBy);
  }

  public Optional<ConsentDecision> deny(String id, String decidedBy) {
    return decide(id, Verdict.DENIED, decidedBy);
  }

  /**
   * Drops the request waiting for {@code taskId} without a decision (the task was cancelled): its
   * future is cancelled.
   *
   * @return whether a request was waiting
   */
  public boolean withdraw(String taskId) {
    boolean any = false;
    for (Entry e : pending.values()) {
      if (e.consent.request().taskId().equals(taskId) && pending.remove(e.consent.id(), e)) {
        cancelTimer(e);
        listener.withdrawn(e.consent);
        e.future.cancel(false);
        any = true;
      }
    }
    return any;
  }

  /** Withdraws every waiting request (agent shutdown). */
  @Override
  public void close() {
    pending().forEach(p -> withdraw(p.request().taskId()));
  }

  private Optional<ConsentDecision> decide(String id, Verdict verdict, String decidedBy) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(decidedBy, "decidedBy");
    Entry e = pending.remove(id);
    if (e == null) {
      return Optional.empty(); // unknown, or already answered / timed out / withdrawn
    }
    cancelTimer(e);
    ConsentDecision d = new ConsentDecision(id, e.consent.request().taskId(), verdict, decidedBy, clock.instant());
    if (verdict != Verdict.APPROVED) {
      LOG.info("consent " + id + " for task " + d.taskId() + " " + verdict + " by " + decidedBy
          + ": " + e.consent.prompt());
    }
    listener.decided(e.consent, d);
    e.future.complete(d);
    return Optional.of(d);
  }

  private static void cancelTimer(Entry e) {
    ScheduledFuture<?> t = e.timer;
    if (t != null) {
      t.cancel(false);
    }
  }

  private String newId() {
    StringBuilder b = new StringBuilder(ID_LENGTH);
    for (int i = 0; i < ID_LENGTH; i++) {
      b.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
    }
    return b.toString();
  }
}
