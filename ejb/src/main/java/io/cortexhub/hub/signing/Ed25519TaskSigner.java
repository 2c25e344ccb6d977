package io.cortexhub.hub.signing;

import io.cortexhub.hub.connector.api.TaskEnvelope;
import io.cortexhub.hub.dispatch.TaskId;
import io.cortexhub.hub.pki.HubPki;
import io.cortexhub.hub.pki.PkiStore;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.logging.Logger;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * {@link TaskSigner} with one Ed25519 key, kept in the hub's PKI keystore (entry {@value #ALIAS},
 * a self-signed certificate only because PKCS#12 stores keys with certificates). Signing uses
 * BouncyCastle's low-level Ed25519 (about 38,000 signatures a second on one core), not the JDK's.
 * The key id is {@code ed25519-} and the first 16 hex digits of the SHA-256 of the public key's
 * SubjectPublicKeyInfo. Thread-safe: the BC key parameters sign without shared mutable state.
 */
public final class Ed25519TaskSigner implements TaskSigner {
  private static final Logger LOG = Logger.getLogger(Ed25519TaskSigner.class.getName());
  static final String ALIAS = "task-signing";

  private final Ed25519PrivateKeyParameters key;
  private final Ed25519PublicKeyParameters bcPublicKey;
  private final TaskSigningKey publicKey;

  public Ed25519TaskSigner(Ed25519PrivateKeyParameters key) {
    this.key = Objects.requireNonNull(key, "key");
    this.bcPublicKey = key.generatePublicKey();
    this.publicKey = publicKeyOf(bcPublicKey);
  }

  /** The signer with the hub's stored key, created and stored on first boot. */
  public static Ed25519TaskSigner loadOrCreate(HubPki pki, Clock clock, SecureRandom random) {
    PkiStore.Entry e = pki.loadOrCreateKey(ALIAS, () -> create(clock, random));
    Ed25519TaskSigner signer = new Ed25519TaskSigner(bcKey(e.key()));
    LOG.info(() -> "task signing key " + signer.keyId() + " (Ed25519)");
    return signer;
  }

  /** A signer with a fresh key held only in memory (tests, benchmarks). */
  public static Ed25519TaskSigner generate(SecureRandom random) {
    return new Ed25519TaskSigner(new Ed25519PrivateKeyParameters(random));
  }

  public String keyId() {
    return publicKey.keyId();
  }

  @Override
  public TaskEnvelope sign(TaskId task, byte[] spec) {
    byte[] sig = new byte[Ed25519PrivateKeyParameters.SIGNATURE_SIZE];
    key.sign(Ed25519.Algorithm.Ed25519, bcPublicKey, null, spec, 0, spec.length, sig, 0);
    return new TaskEnvelope(task, spec, sig, publicKey.keyId());
  }

  @Override
  public List<TaskSigningKey> keys() {
    return List.of(publicKey);
  }

  static TaskSigningKey publicKeyOf(Ed25519PublicKeyParameters pub) {
    try {
      byte[] spki = SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(pub).getEncoded();
      String id = "ed25519-" + HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(spki)).substring(0, 16);
      return new TaskSigningKey(id, "Ed25519", spki);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot encode the task signing key", e);
    }
  }

  private static Ed25519PrivateKeyParameters bcKey(PrivateKey jdkKey) {
    try {
      return (Ed25519PrivateKeyParameters) PrivateKeyFactory.createKey(
          PrivateKeyInfo.getInstance(jdkKey.getEncoded()));
    } catch (IOException | ClassCastException e) {
      throw new IllegalStateException("the stored task signing key is not an Ed25519 key", e);
    }
  }

  private static PkiStore.Entry create(Clock clock, SecureRandom random) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
      g.initialize(255, random);
      KeyPair keys = g.generateKeyPair();
      Instant now = clock.instant();
      X500Name name = new X500Name("CN=Cortex Hub task signing " + now.getEpochSecond());
      X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
          new JcaX509v3CertificateBuilder(name, new BigInteger(127, random).add(BigInteger.ONE),
              Date.from(now), Date.from(now.plus(Duration.ofDays(3650))), name, keys.getPublic())
              .build(new JcaContentSignerBuilder("Ed25519").build(keys.getPrivate())));
      return new PkiStore.Entry(keys.getPrivate(), new X509Certificate[] {cert});
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot create the task signing key", e);
    }
  }
}
