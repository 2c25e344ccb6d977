package io.cortexhub.node.identity;

import com.google.protobuf.ByteString;
import io.cortexhub.node.logging.AgentLog;
import io.cortexhub.node.tls.MutualTls;
import io.cortexhub.node.tunnel.AgentRuntime;
import io.cortexhub.node.tunnel.NodeSecurity;
import io.cortexhub.node.verify.TaskVerifier;
import io.cortexhub.proto.node.v1.NodeCredentialsGrpc;
import io.cortexhub.proto.node.v1.RenewRequest;
import io.cortexhub.proto.node.v1.RenewResponse;
import io.cortexhub.proto.node.v1.SessionToken;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Keeps the node's certificate fresh: renews it over {@code NodeCredentials.Renew} (mutual TLS with
 * the current certificate, plus the tunnel's session token as bearer) at about two thirds of its
 * lifetime, at once when the hub's session token says {@code renew_credentials_now} (CA rotation),
 * and again after failures, until it expires.
 *
 * <p>Every renewal uses a new key pair. A renewed bundle is checked like an enrollment's, must name
 * the same node and workspace, is stored atomically, and is then installed: key and certificate,
 * trusted CAs (both during a CA rotation) and task-signing keys. The channel is sent idle so that
 * the next connection handshakes with the new certificate while the open stream carries on.
 *
 * <p>If the certificate expires before a renewal succeeds, {@link #expired()} completes with a
 * {@link CredentialsExpiredException}: the node must re-enroll. Thread-safe: timers run on the
 * runtime's scheduler, the work on its io executor, and state changes under this object's lock.
 */
public final class CredentialRenewer implements NodeSecurity.SessionTokenListener {
  /** The bearer header {@code NodeCredentials.Renew} requires. */
  public static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  static final Duration RENEW_DEADLINE = Duration.ofSeconds(30);

  private final CredentialStore store;
  private final MutualTls tls;
  private final TaskVerifier verifier;
  private final ManagedChannel channel;
  private final AgentRuntime rt;
  private final SecureRandom keyRandom;
  private final AgentLog log;
  private final CompletableFuture<CredentialsExpiredException> expired = new CompletableFuture<>();
  private final List<Consumer<Credentials>> listeners = new CopyOnWriteArrayList<>();

  private Credentials current;
  private SessionToken token;
  private boolean due;
  private boolean inFlight;
  private boolean stopped;
  private long renewals;
  private long failures;
  private ScheduledFuture<?> renewTimer;
  private ScheduledFuture<?> expiryTimer;

  /**
   * @param initial the credentials the tunnel's {@code tls} presents now
   * @param store where renewed credentials are saved before they are used
   * @param verifier gets the renewed bundle's task-signing keys
   * @param channel the mutual-TLS channel to the hub (the tunnel's)
   */
  public CredentialRenewer(
      Credentials initial,
      CredentialStore store,
      MutualTls tls,
      TaskVerifier verifier,
      ManagedChannel channel,
      AgentRuntime runtime,
      SecureRandom keyRandom,
      AgentLog log) {
    this.current = Objects.requireNonNull(initial, "initial");
    this.store = Objects.requireNonNull(store, "store");
    this.tls = Objects.requireNonNull(tls, "tls");
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.channel = Objects.requireNonNull(channel, "channel");
    this.rt = Objects.requireNonNull(runtime, "runtime");
    this.keyRandom = Objects.requireNonNull(keyRandom, "keyRandom");
    this.log = Objects.requireNonNull(log, "log");
  }

  /** Schedules the first renewal (and the expiry watch); reports expiry at once if already past. */
  public synchronized void start() {
    schedule(current);
  }

  /** Cancels the timers; an attempt in flight finishes but schedules nothing. */
  public synchronized void stop() {
    stopped = true;
    cancelTimers();
  }

  /** The credentials in use now. */
  public synchronized Credentials current() {
    return current;
  }

  /** How many renewals succeeded since start. */
  public synchronized long renewals() {
    return renewals;
  }

  /** How many renewal attempts failed since start. */
  public synchronized long failures() {
    return failures;
  }

  /** The latest session token from the hub, if any. */
  public synchronized Optional<SessionToken> sessionToken() {
    return Optional.ofNullable(token);
  }

  /** Completes (normally, with the explanation) when the certificate expired unrenewed. */
  public CompletableFuture<CredentialsExpiredException> expired() {
    return expired;
  }

  /** Called with the new credentials after each renewal (e.g. whoever signs with the node key). */
  public void onRenewed(Consumer<Credentials> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public void onSessionToken(SessionToken t) {
    boolean go;
    synchronized (this) {
      token = t;
      go = t.getRenewCredentialsNow() || due;
    }
    if (go) {
      renewNow(t.getRenewCredentialsNow() ? "the hub asked for it" : "a session token arrived");
    }
  }

  /** Starts a renewal now (unless one is running); it waits for a session token if there is none. */
  public void renewNow(String why) {
    rt.io().execute(() -> attempt(why));
  }

  private void attempt(String why) {
    SessionToken bearer;
    synchronized (this) {
      if (stopped || inFlight || expired.isDone()) {
        return;
      }
      due = true;
      if (token == null || token.getExpiresAtUnixMs() <= rt.clock().millis()) {
        log.info("certificate renewal due (" + why + "); waiting for a session token from the hub");
        return;
      }
      bearer = token;
      inFlight = true;
    }
    log.info("renewing the node certificate (" + why + ")");
    KeyAndCsr request;
    try {
      request = KeyAndCsr.generate(current().nodeId(), keyRandom);
    } catch (RuntimeException e) {
      failed(e);
      return;
    }
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, "Bearer " + bearer.getToken());
    NodeCredentialsGrpc.newStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(RENEW_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
        .renew(
            RenewRequest.newBuilder().setCsrDer(ByteString.copyFrom(request.csrDer())).build(),
            new StreamObserver<>() {
              @Override
              public void onNext(RenewResponse response) {
                rt.io().execute(() -> install(response, request));
              }

              @Override
              public void onError(Throwable t) {
                failed(t);
              }

              @Override
              public void onCompleted() {
                // onNext carried the answer
              }
            });
  }

  private void install(RenewResponse response, KeyAndCsr request) {
    Credentials next;
    try {
      next = Credentials.fromBundle(response.getCredentials(), request.keys().getPrivate());
      Credentials now = current();
      if (!next.nodeId().equals(now.nodeId()) || !next.workspace().equals(now.workspace())) {
        throw new InvalidCredentialsException(
            "the hub renewed node " + now.nodeId() + " (workspace " + now.workspace() + ") as node "
                + next.nodeId() + " (workspace " + next.workspace() + ")");
      }
      store.save(next);
    } catch (RuntimeException e) {
      failed(e);
      return;
    }
    tls.update(next.privateKey(), next.certificateChain(), next.trustedCas());
    verifier.replaceKeys(next.signingKeys());
    synchronized (this) {
      current = next;
      renewals++;
      inFlight = false;
      due = false;
      if (!stopped) {
        cancelTimers();
        schedule(next);
      }
    }
    // Open streams keep their connection; new calls (the next Connect) handshake afresh.
    channel.enterIdle();
    log.info(
        "renewed: "
            + next.describe()
            + "; trusting hub CAs "
            + next.trustedCaFingerprints()
            + "; task-signing keys "
            + verifier.keyIds());
    for (Consumer<Credentials> l : listeners) {
      try {
        l.accept(next);
      } catch (RuntimeException e) {
        log.warn("a renewal listener failed: " + e.getMessage(), e);
      }
    }
  }

  private void failed(Throwable t) {
    Duration retry;
    Instant notAfter;
    synchronized (this) {
      inFlight = false;
      failures++;
      notAfter = current.notAfter();
      Duration remaining = Duration.between(rt.clock().instant(), notAfter);
      if (stopped || expired.isDone() || remaining.isNegative()) {
        return;
      }
      retry = RenewalSchedule.retryDelay(remaining, rt.random());
      cancel(renewTimer);
      renewTimer = rt.scheduler().schedule(() -> renewNow("retry"), retry.toMillis(), TimeUnit.MILLISECONDS);
    }
    log.warn(
        "certificate renewal failed: "
            + describe(t)
            + "; retrying in "
            + retry.toSeconds()
            + " s (the certificate is valid until "
            + notAfter
            + ")");
  }

  private static String describe(Throwable t) {
    Status s = Status.fromThrowable(t);
    if (s.getCode() == Status.Code.UNKNOWN && !(t instanceof io.grpc.StatusRuntimeException)) {
      return t.getMessage();
    }
    return s.getCode() + (s.getDescription() == null ? "" : ": " + s.getDescription());
  }

  /** Called with the lock held. */
  private void schedule(Credentials c) {
    Instant now = rt.clock().instant();
    if (c.expiredAt(now)) {
      expire(c);
      return;
    }
    Instant at = RenewalSchedule.renewAt(c.notBefore(), c.notAfter(), rt.random());
    long delay = Math.max(0, Duration.between(now, at).toMillis());
    renewTimer = rt.scheduler().schedule(() -> renewNow("two thirds of its lifetime"), delay, TimeUnit.MILLISECONDS);
    long untilExpiry = Duration.between(now, c.notAfter()).toMillis();
    expiryTimer = rt.scheduler().schedule(() -> onExpiry(c), untilExpiry, TimeUnit.MILLISECONDS);
    log.info("certificate valid until " + c.notAfter() + "; renewal due at " + now.plusMillis(delay));
  }

  private synchronized void onExpiry(Credentials c) {
    if (current == c && !stopped) {
      expire(c);
    }
  }

  /** Called with the lock held. */
  private void expire(Credentials c) {
    CredentialsExpiredException e = new CredentialsExpiredException(c.nodeId(), c.notAfter(), store.stateDir());
    log.error(e.getMessage(), null);
    cancelTimers();
    expired.complete(e);
  }

  private void cancelTimers() {
    cancel(renewTimer);
    cancel(expiryTimer);
    renewTimer = null;
    expiryTimer = null;
  }

  private static void cancel(ScheduledFuture<?> f) {
    if (f != null) {
      f.cancel(false);
    }
  }
}
