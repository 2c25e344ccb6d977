package io.cortexhub.hub.pki;

import io.cortexhub.hub.config.HubSettings;
import io.cortexhub.hub.registry.NodeIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The hub's PKI at run time: which CA issues node certificates, which CAs the hub accepts client
 * certificates from, the tunnel's server key and certificate, and the CA bundle nodes trust; plus
 * the two-phase {@link CaRotation}.
 *
 * <p>Material comes from {@link PkiStore} (generated on first boot, EC P-256), or from the
 * operator: {@code cortex.pki.ca-*} for the CA that issues node certificates (not rotatable here),
 * {@code cortex.tls.*} for the server certificate. A hub upgraded from the PEM layout under {@code
 * <data>/tls} imports it once, so the fingerprint nodes pinned stays valid.
 *
 * <p>Readers get an immutable {@link Snapshot} from a volatile field, so the TLS key manager and
 * the certificate verifier see a change on the very next handshake without any restart. Rotation
 * steps are serialized. Thread-safe.
 */
public final class HubPki implements CaRotation {
  private static final Logger LOG = Logger.getLogger(HubPki.class.getName());
  static final Duration CA_LIFETIME = Duration.ofDays(3650);
  static final Duration SERVER_LIFETIME = Duration.ofDays(397);
  /** A stored server certificate closer than this to its end is re-issued at boot. */
  static final Duration SERVER_RENEW_BEFORE = Duration.ofDays(30);
  static final String SERVER = "server";
  static final String BUNDLE_FILE = "ca.pem";

  /** What changed: listeners run after the change is stored and in force. */
  public enum CaEvent { ROTATION_STARTED, ROTATION_FINISHED }

  /**
   * The material in force.
   *
   * @param generation increases with every change of the server key or certificate
   * @param issuing the CA that signs new node certificates
   * @param previous the CA being rotated out, while a rotation runs
   * @param rotationStartedAt when the running rotation started
   * @param serverKey the tunnel's private key
   * @param serverChain the tunnel's certificate, then its CA
   * @param nodeTrustBundle CAs a node must trust to accept the hub's server certificate, now and
   *     after the running rotation finishes
   * @param clientAnchors CAs whose node certificates the hub accepts
   */
  public record Snapshot(long generation, IssuingCa issuing, Optional<IssuingCa> previous,
      Optional<Instant> rotationStartedAt, PrivateKey serverKey, List<X509Certificate> serverChain,
      List<X509Certificate> nodeTrustBundle, List<X509Certificate> clientAnchors) {
    public Snapshot {
      serverChain = List.copyOf(serverChain);
      nodeTrustBundle = List.copyOf(nodeTrustBundle);
      clientAnchors = List.copyOf(clientAnchors);
    }

    /** Fingerprint of the CA that signed the server certificate: what enrolling nodes pin. */
    public String serverCaFingerprint() {
      return Pem.fingerprint(serverChain.get(serverChain.size() - 1));
    }
  }

  private final HubSettings settings;
  private final Clock clock;
  private final SecureRandom random;
  private final PkiStore store;
  private final boolean rotatable;
  private final Optional<OperatorServer> operatorServer;
  private final List<Consumer<CaEvent>> listeners = new CopyOnWriteArrayList<>();
  private volatile Snapshot current;

  private record OperatorServer(PrivateKey key, List<X509Certificate> chain,
      X509Certificate anchor) {}

  private HubPki(HubSettings settings, Clock clock, SecureRandom random, PkiStore store,
      boolean rotatable, Optional<OperatorServer> operatorServer) {
    this.settings = settings;
    this.clock = clock;
    this.random = random;
    this.store = store;
    this.rotatable = rotatable;
    this.operatorServer = operatorServer;
  }

  /** Loads the PKI from the data dir and operator files, creating what is missing. */
  public static HubPki loadOrCreate(HubSettings settings, Clock clock, SecureRandom random) {
    Objects.requireNonNull(settings, "settings");
    HubSettings.Pki pki = settings.pki();
    PkiStore store = PkiStore.open(settings.dataDir().resolve("pki"), pki.keystorePassword(),
        random);
    Optional<OperatorServer> server = settings.tls().certFile().map(cert -> {
      List<X509Certificate> chain = Pem.readCertificates(cert);
      X509Certificate anchor = settings.tls().caFile().map(f -> Pem.readCertificates(f).get(0))
          .orElse(chain.get(chain.size() - 1));
      return new OperatorServer(Pem.readPrivateKey(settings.tls().keyFile().orElseThrow()), chain,
          anchor);
    });
    HubPki hub = new HubPki(settings, clock, random, store, pki.caCertFile().isEmpty(), server);
    synchronized (hub) {
      hub.load();
    }
    return hub;
  }

  private void load() {
    Properties state = store.state();
    IssuingCa issuing;
    Optional<IssuingCa> previous = Optional.empty();
    Optional<Instant> started = Optional.empty();
    if (!rotatable) {
      HubSettings.Pki pki = settings.pki();
      issuing = new IssuingCa("operator-ca",
          Pem.readCertificates(pki.caCertFile().orElseThrow()).get(0),
          Pem.readPrivateKey(pki.caKeyFile().orElseThrow()));
    } else {
      if (state.getProperty("issuing") == null) {
        state = importLegacyOrCreate();
      }
      issuing = ca(state.getProperty("issuing"));
      String prev = state.getProperty("previous");
      if (prev != null) {
        previous = Optional.of(ca(prev));
        started = Optional.of(Instant.parse(state.getProperty("rotation-started-at")));
      }
    }
    IssuingCa serverSigner = previous.orElse(issuing);
    PrivateKey serverKey;
    List<X509Certificate> serverChain;
    if (operatorServer.isPresent()) {
      serverKey = operatorServer.get().key();
      serverChain = operatorServer.get().chain();
    } else {
      Optional<PkiStore.Entry> stored = store.entry(SERVER)
          .filter(e -> signedBy(e.chain()[0], serverSigner.certificate()))
          .filter(e -> e.chain()[0].getNotAfter().toInstant()
              .isAfter(clock.instant().plus(SERVER_RENEW_BEFORE)));
      PkiStore.Entry entry = stored.orElseGet(() -> issueServer(serverSigner));
      serverKey = entry.key();
      serverChain = List.of(entry.chain());
    }
    Snapshot loaded = snapshot(1, issuing, previous, started, serverKey, serverChain);
    current = loaded;
    store.writePublic(BUNDLE_FILE, Pem.encode(loaded.nodeTrustBundle()));
    LOG.info(() -> "hub PKI loaded from " + store.dir() + ": issuing CA " + loaded.issuing()
        .fingerprint() + loaded.previous().map(p -> ", rotating out " + p.fingerprint()).orElse("")
        + ", server certificate from " + loaded.serverCaFingerprint());
  }

  private Snapshot snapshot(long generation, IssuingCa issuing, Optional<IssuingCa> previous,
      Optional<Instant> started, PrivateKey serverKey, List<X509Certificate> serverChain) {
    List<X509Certificate> anchors = new ArrayList<>();
    anchors.add(issuing.certificate());
    previous.ifPresent(p -> anchors.add(p.certificate()));
    List<X509Certificate> bundle = operatorServer.isPresent()
        ? List.of(operatorServer.get().anchor()) : anchors;
    return new Snapshot(generation, issuing, previous, started, serverKey, serverChain, bundle,
        anchors);
  }

  private Properties importLegacyOrCreate() {
    Properties state = new Properties();
    Path legacy = settings.dataDir().resolve("tls");
    if (Files.exists(legacy.resolve("ca.pem")) && Files.exists(legacy.resolve("ca-key.pem"))) {
      X509Certificate ca = Pem.readCertificates(legacy.resolve("ca.pem")).get(0);
      store.put("ca-legacy", Pem.readPrivateKey(legacy.resolve("ca-key.pem")), ca);
      if (Files.exists(legacy.resolve("server.pem"))
          && Files.exists(legacy.resolve("server-key.pem"))) {
        store.put(SERVER, Pem.readPrivateKey(legacy.resolve("server-key.pem")),
            Pem.readCertificates(legacy.resolve("server.pem")).toArray(X509Certificate[]::new));
      }
      state.setProperty("issuing", "ca-legacy");
      LOG.info(() -> "imported the CA " + Pem.fingerprint(ca) + " from " + legacy
          + " into the PKI store; nodes keep their pinned fingerprint");
    } else {
      IssuingCa ca = newCa();
      state.setProperty("issuing", ca.alias());
      LOG.info(() -> "created the hub CA " + ca.fingerprint());
    }
    store.save();
    store.saveState(state);
    return state;
  }

  private IssuingCa ca(String alias) {
    PkiStore.Entry e = store.entry(alias).orElseThrow(() -> new IllegalStateException(
        "the PKI state names CA " + alias + " but the keystore has no such key"));
    return new IssuingCa(alias, e.chain()[0], e.key());
  }

  private IssuingCa newCa() {
    Instant now = clock.instant();
    KeyPair keys = Certificates.ecKeyPair(random);
    String alias = "ca-" + now.getEpochSecond();
    for (int i = 2; store.entry(alias).isPresent(); i++) {
      alias = "ca-" + now.getEpochSecond() + "-" + i;
    }
    X509Certificate cert = Certificates.ca(keys, "Cortex Hub CA " + now.getEpochSecond(), now,
        CA_LIFETIME, random);
    store.put(alias, keys.getPrivate(), cert);
    return new IssuingCa(alias, cert, keys.getPrivate());
  }

  private PkiStore.Entry issueServer(IssuingCa signer) {
    KeyPair keys = Certificates.ecKeyPair(random);
    X509Certificate cert = Certificates.server(keys.getPublic(), signer,
        settings.tls().extraNames(), clock.instant(), SERVER_LIFETIME, random);
    X509Certificate[] chain = {cert, signer.certificate()};
    store.put(SERVER, keys.getPrivate(), chain);
    store.save();
    LOG.info(() -> "issued the tunnel's server certificate from CA " + signer.fingerprint());
    return new PkiStore.Entry(keys.getPrivate(), chain);
  }

  private static boolean signedBy(X509Certificate cert, X509Certificate ca) {
    try {
      if (!cert.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
        return false;
      }
      cert.verify(ca.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** The material in force now. */
  public Snapshot snapshot() {
    return current;
  }

  /** Runs {@code listener} after each rotation step took effect. */
  public void onChange(Consumer<CaEvent> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** A node certificate for {@code identity} and {@code key}, from the issuing CA. */
  public X509Certificate issueNodeCertificate(PublicKey key, NodeIdentity identity) {
    return Certificates.node(key, identity, current.issuing(), clock.instant(),
        settings.pki().nodeCertLifetime(), random);
  }

  /**
   * A key of the hub's own (e.g. the task-signing key) from the store, created by {@code creator}
   * and stored on first use.
   */
  public synchronized PkiStore.Entry loadOrCreateKey(String alias,
      Supplier<PkiStore.Entry> creator) {
    Optional<PkiStore.Entry> e = store.entry(alias);
    if (e.isPresent()) {
      return e.get();
    }
    PkiStore.Entry created = creator.get();
    store.put(alias, created.key(), created.chain());
    store.save();
    return created;
  }

  @Override
  public CaStatus status() {
    Snapshot s = current;
    return new CaStatus(s.issuing().fingerprint(),
        s.clientAnchors().stream().map(Pem::fingerprint).toList(),
        s.rotationStartedAt().map(Instant::toString));
  }

  @Override
  public synchronized CaStatus startRotation(String by) {
    if (!rotatable) {
      throw new CaRotationException("the CA is supplied by the operator (cortex.pki.ca-cert-file);"
          + " rotate it by replacing the files and restarting the hub");
    }
    Snapshot s = current;
    if (s.previous().isPresent()) {
      throw new CaRotationException("a CA rotation is already running since "
          + s.rotationStartedAt().orElseThrow() + "; finish it first");
    }
    IssuingCa next = newCa();
    Instant now = clock.instant();
    store.save();
    Properties state = new Properties();
    state.setProperty("issuing", next.alias());
    state.setProperty("previous", s.issuing().alias());
    state.setProperty("rotation-started-at", now.toString());
    store.saveState(state);
    current = snapshot(s.generation(), next, Optional.of(s.issuing()), Optional.of(now),
        s.serverKey(), s.serverChain());
    store.writePublic(BUNDLE_FILE, Pem.encode(current.nodeTrustBundle()));
    LOG.warning(() -> "CA rotation started by " + who(by) + ": new CA " + next.fingerprint()
        + " issues node certificates; " + s.issuing().fingerprint() + " is still trusted and"
        + " still signs the server certificate until the rotation is finished");
    fire(CaEvent.ROTATION_STARTED);
    return status();
  }

  @Override
  public synchronized CaStatus finishRotation(String by) {
    Snapshot s = current;
    if (s.previous().isEmpty()) {
      throw new CaRotationException("no CA rotation is running");
    }
    IssuingCa old = s.previous().get();
    PrivateKey serverKey = s.serverKey();
    List<X509Certificate> serverChain = s.serverChain();
    if (operatorServer.isEmpty()) {
      PkiStore.Entry server = issueServer(s.issuing());
      serverKey = server.key();
      serverChain = List.of(server.chain());
    }
    store.remove(old.alias());
    store.save();
    Properties state = new Properties();
    state.setProperty("issuing", s.issuing().alias());
    store.saveState(state);
    current = snapshot(s.generation() + 1, s.issuing(), Optional.empty(), Optional.empty(),
        serverKey, serverChain);
    store.writePublic(BUNDLE_FILE, Pem.encode(current.nodeTrustBundle()));
    LOG.warning(() -> "CA rotation finished by " + who(by) + ": CA " + old.fingerprint()
        + " is no longer trusted; the server certificate now comes from "
        + s.issuing().fingerprint());
    fire(CaEvent.ROTATION_FINISHED);
    return status();
  }

  private void fire(CaEvent e) {
    for (Consumer<CaEvent> l : listeners) {
      try {
        l.accept(e);
      } catch (RuntimeException ex) {
        LOG.log(java.util.logging.Level.SEVERE, "CA change listener failed on " + e, ex);
      }
    }
  }

  private static String who(String by) {
    return by == null || by.isBlank() ? "unknown" : by;
  }
}
